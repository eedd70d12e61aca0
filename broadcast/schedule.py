"""When announcements go out: the announcements table says what is due, and one loop sends it.

`python -m broadcast serve` is the scheduler service. Every `TICK_SECONDS` it writes the delivery
rows of reminders that came due and, when an announcement is due (`outbox.due`: its time has come
at most `broadcast.grace_seconds` ago, or a crash cut it off mid-send), sends it. So an
announcement the admin tool schedules, one that fell due while the service was down, and one
interrupted are all sent by the same pass; one later than the grace stays `scheduled` for an
editor to send again. Sending twice is harmless anyway: the outbox sends each row once. It serves
`/metrics` (the sender's counters) and the health checks at `health.listen`:`health.port`.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from broadcast import outbox
from broadcast.reminder_outbox import queue_due
from broadcast.sender import make_bot, send_due
from shared.health import health_server
from shared.settings import Settings
from storage.db import make_engine, make_sessionmaker
from storage.migrate import check_current

# An announcement goes out at most this long after its time (one indexed query a tick).
TICK_SECONDS = 10.0


def _due(sessions: sessionmaker[Session], settings: Settings) -> bool:
    """Whether any announcement is due now."""
    grace = timedelta(seconds=settings.broadcast.grace_seconds)
    with sessions() as session:
        return bool(outbox.due(session, datetime.now(UTC), grace))


async def tick(settings: Settings, sessions: sessionmaker[Session]) -> None:
    """One pass over the service's own database: reminders that came due get their rows once;
    what is due is sent."""
    now = datetime.now(UTC)
    await asyncio.to_thread(queue_due, sessions, now, settings.fallback_languages)
    if await asyncio.to_thread(_due, sessions, settings):
        async with make_bot(settings) as bot:
            await send_due(settings, sessions.kw["bind"], bot)


async def serve(settings: Settings, every: float = TICK_SECONDS) -> None:
    """The scheduler service, until cancelled."""
    engine = make_engine(settings.database_url)
    check_current(engine)
    sessions = make_sessionmaker(engine)
    try:
        async with health_server(settings, engine):
            while True:
                await tick(settings, sessions)
                await asyncio.sleep(every)
    finally:
        engine.dispose()
