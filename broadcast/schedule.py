"""When announcements go out: APScheduler jobs kept in the app database, so they survive restarts.

Each scheduled announcement is one date job `announcement:<id>`. A job that fell due while the
service was down runs once at start if it is at most `broadcast.grace_seconds` late (coalesced:
several missed runs make one); later than that the announcement stays `scheduled` for an editor
to send again. Running twice would be harmless anyway: the outbox sends each row once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine

from broadcast.sender import send_configured
from content.migrate import JOBS_TABLE
from primm.settings import Settings, get_settings


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
