"""The announcements table says what is due and one loop sends it: on time while it runs, once
after a restart, never when it is too late."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from broadcast.schedule import serve, tick
from shared.settings import Settings
from storage.subscriptions import Announcement, AnnouncementStatus, DeliveryState
from testbed.botapi import TOKEN, BotApiEmulator
from testbed.broadcasts import announce, states, subscribe

WAIT_SECONDS = 30


@pytest.fixture
def configured(settings: Settings, engine: Engine, emulator: BotApiEmulator) -> Settings:
    """The service's settings, passed in: this database and the emulator."""
    return settings.model_copy(
        update={
            "database_url": engine.url.render_as_string(hide_password=False),
            "telegram_bot_token": TOKEN,
            "telegram_api_base_url": emulator.base_url,
        }
    )


async def test_an_announcement_scheduled_while_the_service_runs_goes_out_on_time(
    configured: Settings, sessions: sessionmaker[Session], emulator: BotApiEmulator
) -> None:
    subscribe(sessions, emulator, [(1, "sq", "AN"), (2, "es", "AP")])
    service = asyncio.create_task(serve(configured, every=0.2))
    try:
        send_at = datetime.now(UTC) + timedelta(seconds=1)
        announcement = announce(sessions, {"sq": "Kurs italisht", "es": "Curso"}, send_at=send_at)
        async with asyncio.timeout(WAIT_SECONDS):
            await emulator.wait_for(1)
            await emulator.wait_for(2)
        assert datetime.now(UTC) >= send_at, "not before its time"
        await asyncio.sleep(1)  # more ticks: nothing is sent again
    finally:
        service.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await service
    assert [len(emulator.chat(chat)) for chat in (1, 2)] == [1, 1]
    assert states(sessions, announcement) == dict.fromkeys([1, 2], DeliveryState.SENT)


async def test_after_a_restart_the_missed_one_goes_out_once_and_the_too_late_one_waits(
    configured: Settings, sessions: sessionmaker[Session], emulator: BotApiEmulator
) -> None:
    subscribe(sessions, emulator, [(1, "it", "MC")])
    now = datetime.now(UTC)
    missed = announce(sessions, {"it": "Mancato"}, send_at=now - timedelta(minutes=30))
    too_late = announce(sessions, {"it": "Troppo tardi"}, send_at=now - timedelta(hours=2))
    for _ in range(2):  # the service started again, twice
        await tick(configured, sessions)
    assert [m["text"] for m in emulator.chat(1)] == ["Mancato"]
    with sessions() as session:
        assert session.get_one(Announcement, missed).status is AnnouncementStatus.DONE
        assert session.get_one(Announcement, too_late).status is AnnouncementStatus.SCHEDULED
