"""A slow answer to one person does not hold up the others; one person's messages stay in order."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.updates import PerChatUpdates


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
