"""Reminders go out once, at their time, through the delivery engine (time passed as `now`)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, date, datetime, timedelta

import httpx
from prometheus_client import REGISTRY
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from broadcast.reminder_outbox import queue_due
from broadcast.sender import make_bot, send_due
from content.loader import load_seed
from shared.clock import ROME
from shared.settings import Settings
from storage.content import Event
from storage.reminders import PermitReminder, ReminderStore
from storage.subscriptions import Announcement, AnnouncementKind, Delivery
from storage.users import UserStore
from testbed.botapi import BotApiEmulator
from testbed.broadcasts import sender_process, sender_settings, subscribe
from testbed.rasa import free_port

FALLBACKS = ["en", "it"]
SENT = "primm_broadcast_deliveries_total"


def shown(_event: Event) -> bool:
    """Every event is one the user may see (what the bot checks is tested in tests/bot)."""
    return True


async def send(settings: Settings, engine: Engine, emulator: BotApiEmulator) -> None:
    config = sender_settings(settings, emulator)
    async with make_bot(config) as bot:
        await send_due(config, engine, bot)


def add_event(sessions: sessionmaker[Session], starts_at: datetime) -> int:
    with sessions.begin() as session:
        event = Event(
            slug="job_fair",
            translations={"it": {"title": "Fiera del lavoro", "text": "Porta il CV"}},
            starts_at=starts_at,
            place="Mole Vanvitelliana",
            province="AN",
            source_url="https://example.org/fiera",
        )
        session.add(event)
        session.flush()
        return event.id


async def test_event_reminder_goes_the_day_before_once(
    settings: Settings, engine: Engine, sessions: sessionmaker[Session], emulator: BotApiEmulator
) -> None:
    subscribe(sessions, emulator, [(1, "uk", "AN"), (2, "it", None), (3, "ar", "AN")])
    starts = datetime(2030, 6, 10, 18, 0, tzinfo=ROME)
    event = add_event(sessions, starts)
    store = ReminderStore(sessions)
    now = datetime.now(UTC)
    assert store.remind_event(1, event, now, shown) is not None
    assert store.remind_event(1, event, now, shown) is not None  # twice is still one wish
    assert store.remind_event(2, event, now, shown) is not None
    assert store.remind_event(2, event + 99, now, shown) is None

    sent_before = REGISTRY.get_sample_value(SENT, {"outcome": "sent"}) or 0
    assert queue_due(sessions, datetime(2030, 6, 9, 9, 59, tzinfo=ROME), FALLBACKS) == []
    await send(settings, engine, emulator)
    assert emulator.chat(1) == []
    for minute in (1, 30):  # the job runs every minute: the rows are written once
        queue_due(sessions, datetime(2030, 6, 9, 10, minute, tzinfo=ROME), FALLBACKS)
        await send(settings, engine, emulator)
    assert len(emulator.chat(1)) == len(emulator.chat(2)) == 1
    assert "Fiera del lavoro" in emulator.chat(1)[0]["text"]
    assert "⏰" in emulator.chat(2)[0]["text"] and emulator.chat(3) == []

    # Asked late, still before the start.
    assert store.remind_event(3, event, now, shown) is not None
    queue_due(sessions, datetime(2030, 6, 10, 12, 0, tzinfo=ROME), FALLBACKS)
    await send(settings, engine, emulator)
    assert [len(emulator.chat(chat)) for chat in (1, 2, 3)] == [1, 1, 1]
    assert queue_due(sessions, starts.astimezone(UTC) + timedelta(minutes=1), FALLBACKS) == []
    assert REGISTRY.get_sample_value(SENT, {"outcome": "sent"}) == sent_before + 3  # /metrics
    with sessions() as session:
        kinds = list(session.scalars(select(Announcement.kind)))
        assert kinds == [AnnouncementKind.EVENT_REMINDER]


async def test_permit_reminders_at_90_and_70_days_once_each_then_erased(
    settings: Settings, engine: Engine, sessions: sessionmaker[Session], emulator: BotApiEmulator
) -> None:
    with sessions.begin() as session:
        load_seed(session)
    subscribe(sessions, emulator, [(1, "fr", "MC"), (2, "bn", None)])
    store = ReminderStore(sessions)
    expires = date(2031, 3, 31)
    store.set_permit(1, expires)
    store.set_permit(2, expires)

    def at(day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), tzinfo=ROME) + timedelta(hours=8)

    before = expires - timedelta(days=91)
    for day in (before, expires - timedelta(days=90), expires - timedelta(days=80)):
        queue_due(sessions, at(day), FALLBACKS)
        await send(settings, engine, emulator)
    assert len(emulator.chat(1)) == len(emulator.chat(2)) == 1
    first = emulator.chat(1)[0]["text"]
    assert "31 mars 2031" in first and "Questura" in first and "Macerata" in first
    assert "/area" in emulator.chat(2)[0]["text"]  # no province: how to see the offices

    for day in (expires - timedelta(days=70), expires - timedelta(days=69)):
        queue_due(sessions, at(day), FALLBACKS)
        await send(settings, engine, emulator)
    assert len(emulator.chat(1)) == len(emulator.chat(2)) == 2

    assert UserStore(sessions).delete(1)  # /deletedata
    with sessions() as session:
        assert session.get(PermitReminder, 1) is None
        assert session.scalars(select(Delivery.chat_id).where(Delivery.chat_id == 1)).all() == []
        assert session.get(PermitReminder, 2) is not None


async def test_scheduler_service_sends_a_due_reminder_and_counts_it_on_metrics(
    engine: Engine, sessions: sessionmaker[Session], emulator: BotApiEmulator
) -> None:
    subscribe(sessions, emulator, [(1, "sq", "AN")])
    now = datetime.now(UTC)
    event = add_event(sessions, now + timedelta(hours=2))
    assert ReminderStore(sessions).remind_event(1, event, now, shown) is not None
    port = free_port()
    process = await sender_process(
        engine, emulator, 25, {"PRIMM_HEALTH__PORT": str(port)}, action="serve"
    )
    counted = 'primm_broadcast_deliveries_total{outcome="sent"} 1.0'
    try:
        async with asyncio.timeout(60), httpx.AsyncClient(follow_redirects=True) as client:
            await emulator.wait_for(1)
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    metrics = await client.get(f"http://127.0.0.1:{port}/metrics")
                    if counted in metrics.text:
                        break
                await asyncio.sleep(0.2)
    finally:
        process.terminate()
        await process.wait()
    assert len(emulator.chat(1)) == 1
