"""A scheduled announcement survives a restart: due while down, it is sent once at start."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from broadcast.schedule import job_id, make_scheduler, plan, schedule
from shared.settings import Settings, get_settings
from storage.subscriptions import Announcement, AnnouncementStatus, DeliveryState
from testbed.botapi import TOKEN, BotApiEmulator
from testbed.broadcasts import announce, states, subscribe

WAIT_SECONDS = 30


@pytest.fixture
def configured(
    monkeypatch: pytest.MonkeyPatch, engine: Engine, emulator: BotApiEmulator
) -> Iterator[Settings]:
    """The settings a scheduled job reads: this database and the emulator."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", emulator.base_url)
    get_settings.cache_clear()
    yield get_settings()
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_due_while_down_is_sent_once_at_start(
    configured: Settings,
    engine: Engine,
    sessions: sessionmaker[Session],
    emulator: BotApiEmulator,
) -> None:
    subscribe(sessions, emulator, [(1, "sq", "AN"), (2, "es", "AP")])
    send_at = datetime.now(UTC) + timedelta(seconds=1)
    announcement = announce(sessions, {"sq": "Kurs italisht", "es": "Curso"}, send_at=send_at)
    before = make_scheduler(configured, engine)
    before.start()
    schedule(before, announcement, send_at)
    before.shutdown()  # the service stops before the announcement is due
    await asyncio.sleep(1.5)

    for _ in range(2):  # started again (twice): the missed job runs once, then is gone
        after = make_scheduler(configured, engine)
        after.start()
        async with asyncio.timeout(WAIT_SECONDS):
            await emulator.wait_for(1)
            await emulator.wait_for(2)
        await asyncio.sleep(0.5)
        assert after.get_job(job_id(announcement)) is None
        after.shutdown()
    assert [len(emulator.chat(chat)) for chat in (1, 2)] == [1, 1]
    assert states(sessions, announcement) == dict.fromkeys([1, 2], DeliveryState.SENT)


async def test_service_plans_missed_and_interrupted_but_not_too_late(
    configured: Settings,
    engine: Engine,
    sessions: sessionmaker[Session],
    emulator: BotApiEmulator,
) -> None:
    subscribe(sessions, emulator, [(1, "it", "MC")])
    now = datetime.now(UTC)
    missed = announce(sessions, {"it": "Mancato"}, send_at=now - timedelta(minutes=30))
    too_late = announce(sessions, {"it": "Troppo tardi"}, send_at=now - timedelta(hours=2))
    scheduler = make_scheduler(configured, engine)
    scheduler.start()
    plan(scheduler, sessions, configured.broadcast.grace_seconds)
    async with asyncio.timeout(WAIT_SECONDS):
        await emulator.wait_for(1)
    await asyncio.sleep(0.5)
    plan(scheduler, sessions, configured.broadcast.grace_seconds)  # nothing new to plan
    assert scheduler.get_jobs() == []
    scheduler.shutdown()
    assert [m["text"] for m in emulator.chat(1)] == ["Mancato"]
    with sessions() as session:
        assert session.get_one(Announcement, missed).status is AnnouncementStatus.DONE
        assert session.get_one(Announcement, too_late).status is AnnouncementStatus.SCHEDULED
