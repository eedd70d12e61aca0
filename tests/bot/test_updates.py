"""A slow answer to one person does not hold up the others; one person's messages stay in order."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import event
from telegram import Update

from bot.updates import PerChatUpdates
from storage.db import make_engine, make_sessionmaker
from tests.support.databases import POSTGRES_URL, fresh_engine


def update(update_id: int, chat_id: int) -> Update:
    user = {"id": chat_id, "is_bot": False, "first_name": "U"}
    message = {
        "message_id": update_id,
        "date": 0,
        "chat": {"id": chat_id, "type": "private"},
        "from": user,
        "text": "hi",
    }
    return Update.de_json({"update_id": update_id, "message": message}, None)


async def test_chats_run_side_by_side_and_each_chat_in_order() -> None:
    processor = PerChatUpdates()
    finished: list[int] = []
    slow = asyncio.Event()

    async def handle(update_id: int, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        finished.append(update_id)

    async with processor:
        first = asyncio.create_task(processor.process_update(update(1, 10), handle(1, slow)))
        second = asyncio.create_task(processor.process_update(update(2, 10), handle(2)))
        other = asyncio.create_task(processor.process_update(update(3, 20), handle(3)))
        await other
        assert finished == [3], "another chat is answered while chat 10 waits"
        slow.set()
        await asyncio.gather(first, second)
    assert finished == [3, 1, 2], "chat 10's second message after its first"


async def test_across_processes_a_chat_waits_for_word_of_its_turn_not_by_asking_again(
    tmp_path: Path,
) -> None:
    """Two processes on one PostgreSQL database: while one holds a chat's turn, the other's
    update for that chat waits without asking the database over and over, and goes on as soon
    as the turn is given back."""
    shared = fresh_engine("postgresql", tmp_path)
    other = make_engine(POSTGRES_URL)  # the second process's own connections
    asked: list[str] = []
    event.listen(other, "before_cursor_execute", lambda *args: asked.append(args[2]))
    finished: list[int] = []
    held = asyncio.Event()

    async def handle(update_id: int, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        finished.append(update_id)

    try:
        async with (
            PerChatUpdates(make_sessionmaker(shared)) as first,
            PerChatUpdates(make_sessionmaker(other)) as second,
        ):
            holding = asyncio.create_task(first.process_update(update(1, 30), handle(1, held)))
            await asyncio.sleep(0.2)
            waiting = asyncio.create_task(second.process_update(update(2, 30), handle(2)))
            await asyncio.sleep(2)
            assert finished == [], "the second process waits for the chat's turn"
            turns_asked = sum("chat_turns" in statement for statement in asked)
            assert turns_asked <= 4, f"asked for the turn {turns_asked} times in 2 s"
            held.set()
            await holding
            async with asyncio.timeout(0.9):  # sooner than its next check: it was told
                await waiting
        assert finished == [1, 2]
    finally:
        shared.dispose()
        other.dispose()
