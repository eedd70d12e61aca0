"""Updates of different chats are handled at the same time; one chat's updates stay in order,
within a process and, on PostgreSQL, across the processes behind one webhook (a process that
gives a chat's turn back says so on a PostgreSQL channel: the others wait without polling)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import Counter
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from storage.coordination import end_turn, ended_turns, take_turn

log = logging.getLogger(__name__)

# Enough for every chat that writes at once; each waits mostly on Rasa and Telegram.
MAX_CONCURRENT_UPDATES = 256
# A process that died holding a chat's turn holds it no longer than this.
TURN_LEASE = timedelta(seconds=60)
# A chat's next update asks again this often even without word that its turn is free: the
# holder may have died (its lease runs out) or its word been lost while reconnecting.
TURN_RECHECK_SECONDS = 1.0


class PerChatUpdates(BaseUpdateProcessor):
    """python-telegram-bot's concurrent updates, but one at a time per chat, in arrival order.

    Handled one by one, each update waits for the previous users' Rasa parses and Telegram
    calls; handled freely, a button tap could overtake the message before it in the same chat.
    With `turns` (the database several processes share), a chat's update also waits while
    another process handles one of the same chat: a load balancer may send a chat's next
    update to another process.
    """

    def __init__(
        self,
        turns: sessionmaker[Session] | None = None,
        max_concurrent_updates: int = MAX_CONCURRENT_UPDATES,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._turns = turns
        # This process's name in `chat_turns`: its lock per chat makes a row of its own stale.
        self._holder = uuid.uuid4().hex
        self._locks: dict[int, asyncio.Lock] = {}
        self._queued: Counter[int] = Counter()
        self._freed: dict[int, asyncio.Event] = {}  # chats waiting for another process
        self._listener: asyncio.Task[None] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates (asyncio locks are first come, first served)."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._queued[chat.id] += 1
        try:
            async with lock:
                await self._in_turn(chat.id, coroutine)
        finally:
            self._queued[chat.id] -= 1
            if not self._queued[chat.id]:
                del self._queued[chat.id], self._locks[chat.id]

    async def _in_turn(self, chat_id: int, coroutine: Awaitable[Any]) -> None:
        """The update in the chat's turn; without one when the database is down (it says so)."""
        taken = False
        try:
            taken = await self._take_turn(chat_id)
        except SQLAlchemyError:
            log.warning("no chat turn: the database is unreachable")
        try:
            await coroutine
        finally:
            if taken and self._turns is not None:
                try:
                    await asyncio.to_thread(self._end_turn, self._turns, chat_id)
                except SQLAlchemyError:
                    log.warning("chat turn not given back: the database is unreachable")

    async def _take_turn(self, chat_id: int) -> bool:
        if self._turns is None:
            return False
        freed = self._freed[chat_id] = asyncio.Event()
        try:
            while True:
                freed.clear()  # word that comes while asking is not lost
                if await asyncio.to_thread(self._took_turn, self._turns, chat_id):
                    return True
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(freed.wait(), TURN_RECHECK_SECONDS)
        finally:
            del self._freed[chat_id]

    def _took_turn(self, turns: sessionmaker[Session], chat_id: int) -> bool:
        with turns.begin() as session:
            return take_turn(session, chat_id, self._holder, TURN_LEASE)

    def _end_turn(self, turns: sessionmaker[Session], chat_id: int) -> None:
        with turns.begin() as session:
            end_turn(session, chat_id, self._holder)

    async def _listen(self, turns: sessionmaker[Session]) -> None:
        """Wake the chats whose turn another process gave back; reconnect when the line drops."""
        while True:
            try:
                async for chat_id in ended_turns(turns):
                    if chat_id in self._freed:
                        self._freed[chat_id].set()
            except Exception:  # any failure: the waiters still ask every second
                log.warning("no word of ended chat turns: the database is unreachable")
            await asyncio.sleep(TURN_RECHECK_SECONDS)

    async def initialize(self) -> None:
        """Listen for chat turns given back by other processes (PostgreSQL only)."""
        if self._turns is not None and self._listener is None:
            self._listener = asyncio.create_task(self._listen(self._turns))

    async def shutdown(self) -> None:
        """Stop listening."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
