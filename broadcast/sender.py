"""Send an announcement's pending rows through the Bot API within Telegram's flood limits.

At most `broadcast.rate` messages a second in all and one a second per chat; a 429 pauses every
worker for `retry_after`; connection errors and 5xx are retried with backoff; a request whose
answer never came may have been delivered, so it is recorded `uncertain` and never resent.
One sender at a time: on PostgreSQL an advisory lock held for the whole run; on SQLite the
service runs a single sender process by design (SQLite serves one host anyway).
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from broadcast import messages, outbox
from broadcast.reminder_outbox import queue_due
from render.telegram import Message
from shared import metrics
from shared.settings import BroadcastSettings, Settings
from storage.db import make_engine
from storage.migrate import check_current
from storage.subscriptions import Announcement, DeliveryState

log = logging.getLogger(__name__)
LOCK_KEY = 0x5052494D4D  # "PRIMM": the advisory lock every sender process asks for
BACKOFF = 0.5  # seconds before the first retry; doubled each time
CATCH_UP = 0.2  # seconds of missed sending slots a late worker may still use


def make_bot(settings: Settings) -> Bot:
    """A Bot for the configured API, with a pool big enough for every worker."""
    if not settings.telegram_bot_token:
        raise RuntimeError("TELEGRAM_BOT_TOKEN is not set: announcements cannot be sent")
    config = settings.broadcast
    request = HTTPXRequest(
        connection_pool_size=config.workers,
        read_timeout=config.read_timeout,
        write_timeout=config.read_timeout,
    )
    return Bot(
        settings.telegram_bot_token, base_url=settings.telegram_api_base_url, request=request
    )


@contextmanager
def single_sender(engine: Engine) -> Iterator[bool]:
    """Whether this process may send: True on SQLite, else while it holds the advisory lock."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection:
        held = bool(
            connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
        )
        connection.commit()
        try:
            yield held
        finally:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                connection.commit()


def _seconds(error: RetryAfter) -> float:
    """`retry_after` in seconds, whichever type python-telegram-bot is set to give."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _went_out(error: TimedOut) -> bool:
    """A timeout after the request was written may hide a delivered message."""
    return not isinstance(error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)


@dataclass
class Pace:
    """Global and per-chat rate limits (moving windows of one second), and the 429 pause."""

    rate: int
    _limiter: MovingWindowRateLimiter = field(
        default_factory=lambda: MovingWindowRateLimiter(MemoryStorage())
    )
    _resume_at: float = 0.0
    _next_slot: float = 0.0

    async def _take(self, item: RateLimitItemPerSecond, key: str) -> None:
        while not await self._limiter.hit(item, key):
            stats = await self._limiter.get_window_stats(item, key)
            await asyncio.sleep(max(stats.reset_time - time.time(), 0.001))

    async def turn(self, chat_id: int) -> None:
        """Wait until a message to this chat is allowed and no 429 pause is running."""
        await self._take(RateLimitItemPerSecond(1), f"chat:{chat_id}")
        while True:
            await asyncio.sleep(max(self._resume_at - time.monotonic(), 0))
            # Evenly spaced starts rather than a burst each second: fewer requests in flight,
            # so fewer rows left uncertain when the sender is killed. A slot missed by a busy
            # event loop may be caught up within CATCH_UP; the window still caps every second.
            slot = max(time.monotonic() - CATCH_UP, self._next_slot)
            self._next_slot = slot + 1 / self.rate
            await asyncio.sleep(slot - time.monotonic())
            await self._take(RateLimitItemPerSecond(self.rate), "all")
            if time.monotonic() >= self._resume_at:  # else a 429 came while this one waited
                return

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends until `retry_after` has passed."""
        self._resume_at = max(self._resume_at, time.monotonic() + seconds)


@dataclass
class Sender:
    """Sends one announcement's pending rows; the database says what is left after a restart."""

    sessions: sessionmaker[Session]
    bot: Bot
    config: BroadcastSettings
    fallbacks: list[str]  # the languages a linked event is shown in when it lacks the user's
    pace: Pace = field(init=False)

    def __post_init__(self) -> None:
        self.pace = Pace(self.config.rate)

    async def send(self, announcement_id: int) -> dict[str, int]:
        """Write the outbox if needed, send what is pending, close the announcement."""
        with self.sessions.begin() as session:
            if not outbox.open_outbox(session, announcement_id):
                return outbox.counts(session, announcement_id)
            announcement = session.get_one(Announcement, announcement_id)
            copies = messages.messages(session, announcement, self.fallbacks)
            rows = outbox.pending(session, announcement_id)
        queue: asyncio.Queue[outbox.Pending] = asyncio.Queue()
        for row in rows:
            queue.put_nowait(row)
        workers = [
            asyncio.create_task(self._work(queue, copies))
            for _ in range(min(self.config.workers, len(rows)))
        ]
        await asyncio.gather(*workers)
        with self.sessions.begin() as session:
            outbox.finish(session, announcement_id)
            report = outbox.counts(session, announcement_id)
        log.info("announcement %d: %s", announcement_id, report)
        return report

    async def _work(
        self, queue: asyncio.Queue[outbox.Pending], messages: dict[str, list[Message]]
    ) -> None:
        while not queue.empty():
            row = queue.get_nowait()
            await self._deliver(row, messages[row.language])

    async def test_send(
        self, chat_id: int, parts: list[Message]
    ) -> tuple[DeliveryState, str | None]:
        """One copy to one chat (an editor's own), with the retries and limits of a real send."""
        for message in parts:
            state, reason = await self._send_part(chat_id, message, None)
            if state is not DeliveryState.SENT:
                return state, reason
        return DeliveryState.SENT, None

    def _record(self, row: outbox.Pending, state: DeliveryState, reason: str | None) -> None:
        metrics.DELIVERIES.labels(state.value).inc()
        sent_at = datetime.now(UTC) if state is DeliveryState.SENT else None
        with self.sessions.begin() as session:
            outbox.settle(session, row.id, state, reason, sent_at)
            if state is DeliveryState.BLOCKED:
                outbox.unsubscribe(session, row.chat_id)

    async def _deliver(self, row: outbox.Pending, messages: list[Message]) -> None:
        """Send every part of one recipient's copy and record how it ended."""
        for message in messages:
            state, reason = await self._send_part(row.chat_id, message, row.id)
            if state is not DeliveryState.SENT:
                self._record(row, state, reason)
                return
        self._record(row, DeliveryState.SENT, None)

    async def _send_part(
        self, chat_id: int, message: Message, row_id: int | None
    ) -> tuple[DeliveryState, str | None]:
        """One message with retries: the final state, and Telegram's reason when it failed.

        `row_id` is the delivery row moved along (None for a test-send, which has none).
        """
        failures = 0
        while True:
            await self.pace.turn(chat_id)
            if row_id is not None:
                with self.sessions.begin() as session:  # claimed only when its request goes out
                    outbox.claim(session, row_id)
            try:
                await self.bot.send_message(
                    chat_id,
                    message.text,
                    parse_mode=message.parse_mode,
                    reply_markup=message.reply_markup,
                )
            except RetryAfter as error:
                self.pace.pause(_seconds(error))
                metrics.THROTTLED.inc()
                reason = "429"
            except Forbidden as error:
                return DeliveryState.BLOCKED, error.message
            except BadRequest as error:
                return DeliveryState.FAILED, error.message
            except TimedOut as error:
                if _went_out(error):
                    return DeliveryState.UNCERTAIN, "no answer in time"
                failures, reason = failures + 1, "timed out connecting"
            except NetworkError as error:
                failures, reason = failures + 1, error.message
            except TelegramError as error:
                return DeliveryState.FAILED, error.message
            else:
                return DeliveryState.SENT, None
            if failures >= self.config.attempts:
                return DeliveryState.FAILED, reason
            metrics.RETRIES.inc()
            if row_id is not None:
                # The message surely did not go out: pending again, so a restart may send it.
                with self.sessions.begin() as session:
                    outbox.settle(session, row_id, DeliveryState.PENDING, reason)
            await asyncio.sleep(BACKOFF * 2 ** max(failures - 1, 0))


async def send_configured(settings: Settings) -> dict[int, dict[str, int]]:
    """One pass over the configured database and Bot API (a job, or `python -m broadcast`)."""
    engine = make_engine(settings.database_url)
    check_current(engine)
    queue_due(sessionmaker(engine), datetime.now(UTC), settings.fallback_languages)
    try:
        async with make_bot(settings) as bot:
            return await send_due(settings, engine, bot)
    finally:
        engine.dispose()


async def send_due(settings: Settings, engine: Engine, bot: Bot) -> dict[int, dict[str, int]]:
    """Send every announcement that is due, unless another sender is already at work."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    reports: dict[int, dict[str, int]] = {}
    with single_sender(engine) as allowed:
        if not allowed:
            log.info("another sender holds the lock; leaving the announcements to it")
            return reports
        with sessions() as session:
            grace = timedelta(seconds=settings.broadcast.grace_seconds)
            ids = outbox.due(session, datetime.now(UTC), grace)
        sender = Sender(sessions, bot, settings.broadcast, settings.fallback_languages)
        for announcement_id in ids:
            reports[announcement_id] = await sender.send(announcement_id)
    return reports
