"""A per-user flood guard: past the limit, one polite word, then silence for the minute.

Counted in memory on the embedded SQLite file, which one process serves; in PostgreSQL, where
several bot processes may serve one bot behind the webhook, so a user is counted across them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Protocol

from cachetools import TTLCache
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.context import Handler, Parts, send
from dialogue.replies import Reply
from shared.i18n import translations
from shared.logs import failure
from storage.coordination import count_hit, forget_periods, shared

log = logging.getLogger(__name__)

MINUTE = 60.0
USERS_TRACKED = 100_000  # an upper bound on memory; idle users leave the cache after a minute


class MovingWindow:
    """At most `limit` hits per key in any `seconds`: in memory, per process.

    Not `limits`' memory storage: it starts a thread to expire entries after each 10 ms of
    activity, and every start held up the event loop.
    A TTL cache drops idle keys by itself, with no thread.
    """

    def __init__(
        self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.seconds = seconds
        self.clock = clock
        self._hits: TTLCache[Hashable, deque[float]] = TTLCache(
            USERS_TRACKED, seconds, timer=clock
        )

    def hit(self, key: Hashable) -> bool:
        """Count one hit if the window has room; whether it had."""
        now = self.clock()
        hits = self._hits.get(key) or deque(maxlen=self.limit)
        if len(hits) == self.limit and now - hits[0] < self.seconds:
            return False
        hits.append(now)
        self._hits[key] = hits  # storing again restarts the key's time to live
        return True


class SharedWindow:
    """At most `limit` hits per key in each period of `seconds` on the clock, in the database.

    A fixed window, not a moving one: one statement a hit, the same for every process; a burst
    across the turn of a minute may reach twice the limit.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        name: str,
        limit: int,
        seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.sessions = sessions
        self.name = name
        self.limit = limit
        self.seconds = seconds
        self.clock = clock
        self._forgotten = -1  # the period whose predecessors this process last deleted

    def hit(self, key: int) -> bool:
        """Count one hit; whether it is within the limit of the period."""
        period = int(self.clock() // self.seconds)
        with self.sessions.begin() as session:
            if period != self._forgotten:
                forget_periods(session, self.name, period)
                self._forgotten = period
            return count_hit(session, self.name, key, period) <= self.limit


class Window(Protocol):
    """A rate limit per user."""

    def hit(self, key: int) -> bool:
        """Count one hit if the limit allows; whether it did."""


def window(sessions: sessionmaker[Session], name: str, limit: int) -> Window:
    """Per minute, shared through PostgreSQL, else in this process's memory."""
    if shared(sessions):
        return SharedWindow(sessions, name, limit, MINUTE)
    return MovingWindow(limit, MINUTE)


async def _counted(limit: Window, key: int) -> bool:
    """A hit, off the event loop when it is a database statement."""
    if isinstance(limit, SharedWindow):
        return await asyncio.to_thread(limit.hit, key)
    return limit.hit(key)


def handlers(parts: Parts) -> list[Handler]:
    """A handler for group -1, ahead of all others: it stops updates from a flooding user."""
    sessions = parts.chats.users.sessions
    allowed = window(sessions, "flood", parts.settings.telegram.flood_messages_per_minute)
    warned = window(sessions, "flood-warned", 1)

    async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        try:
            within = await _counted(allowed, user.id)
        except SQLAlchemyError as error:
            # Unmetered for now: the handler that answers apologises once if it cannot answer.
            log.warning("flood count unavailable: %s", failure(error))
            return
        if within:
            return
        if await _counted(warned, user.id):
            language = parts.state(update).language
            _ = translations(language).gettext
            text = _("You are writing very fast. Please wait a minute, then write again.")
            await send(context.bot, chat.id, [Reply(text, language)])
        raise ApplicationHandlerStop

    return [TypeHandler(Update, guard)]
