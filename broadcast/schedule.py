"""When announcements go out: APScheduler jobs kept in the app database, so they survive restarts.

Each scheduled announcement is one date job `announcement:<id>`. A job that fell due while the
service was down runs once at start if it is at most `broadcast.grace_seconds` late (coalesced:
several missed runs make one); later than that the announcement stays `scheduled` for an editor
to send again. Running twice would be harmless anyway: the outbox sends each row once.

`python -m broadcast serve` is the scheduler service: it gives each scheduled announcement its
job (at start and every `PLAN_EVERY` seconds, so announcements written by the admin tool are
picked up), writes the delivery rows of reminders that came due (they are then sent like an
interrupted announcement) and resumes any announcement a crash interrupted. It serves
`/metrics` (the sender's counters) and the health checks at `health.listen`:`health.port`.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from broadcast.reminder_outbox import queue_due
from broadcast.sender import send_configured
from shared.health import health_server
from shared.settings import Settings, get_settings
from storage.db import make_engine, make_sessionmaker
from storage.migrate import JOBS_TABLE, check_current
from storage.subscriptions import Announcement, AnnouncementStatus

PLAN_EVERY = 60  # seconds between looks for announcements without a job


def job_id(announcement_id: int) -> str:
    """The explicit id of an announcement's job, so rescheduling replaces it."""
    return f"announcement:{announcement_id}"


async def deliver() -> None:
    """The job: send whatever is due now (this announcement, and any interrupted one)."""
    await send_configured(get_settings())


def make_scheduler(settings: Settings, engine: Engine) -> AsyncIOScheduler:
    """A scheduler whose jobs live in the app database; call `start()` inside the event loop."""
    return AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
        job_defaults={
            "coalesce": True,
            "misfire_grace_time": settings.broadcast.grace_seconds,
            "max_instances": 1,
        },
        timezone=UTC,
    )


def schedule(scheduler: AsyncIOScheduler, announcement_id: int, send_at: datetime) -> None:
    """Send an announcement at `send_at` (replacing an earlier time for it)."""
    scheduler.add_job(
        deliver,
        trigger="date",
        run_date=send_at,
        id=job_id(announcement_id),
        replace_existing=True,
    )


def plan(scheduler: AsyncIOScheduler, sessions: sessionmaker[Session], grace: int) -> None:
    """Jobs for announcements without one: scheduled and not too late, or cut off mid-send."""
    now = datetime.now(UTC)
    with sessions() as session:
        rows = session.execute(
            select(Announcement.id, Announcement.status, Announcement.send_at).where(
                Announcement.status.in_([AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING])
            )
        ).all()
    for announcement_id, status, send_at in rows:
        if scheduler.get_job(job_id(announcement_id)) is not None:
            continue
        if status is AnnouncementStatus.SENDING:
            schedule(scheduler, announcement_id, now)
        elif send_at >= now - timedelta(seconds=grace):
            schedule(scheduler, announcement_id, send_at)


async def serve(settings: Settings) -> None:
    """The scheduler service, until cancelled."""
    engine = make_engine(settings.database_url)
    check_current(engine)
    sessions = make_sessionmaker(engine)
    scheduler = make_scheduler(settings, engine)
    scheduler.start()
    try:
        async with health_server(settings, engine):
            while True:
                now = datetime.now(UTC)  # (a thread: scheduled sends go on meanwhile)
                await asyncio.to_thread(queue_due, sessions, now, settings.fallback_languages)
                plan(scheduler, sessions, settings.broadcast.grace_seconds)
                await asyncio.sleep(PLAN_EVERY)
    finally:
        scheduler.shutdown()
        engine.dispose()
