"""Remind-me on an event and /permit: opt-in after consent, shown by /mydata, erased by
/deletedata."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import build_bot
from bot.handlers.commands import DELETE
from bot.handlers.reminders import REMIND, STOP_PERMIT
from bot.handlers.start import START
from content.models import Event, EventReminder, PermitReminder
from primm.app import App, build_dialogue
from primm.settings import Settings
from tests.support.botapi import TOKEN, BotApiEmulator
from tests.support.fakes import FakeNlu
from tests.support.telegram import RunningBot, payloads, polling


@pytest.fixture
async def bot(
    settings: Settings, emulator: BotApiEmulator, sessions: sessionmaker[Session]
) -> AsyncIterator[RunningBot]:
    """The real bot on an empty database with a fake NLU (these commands never ask it)."""
    local = settings.model_copy(
        update={"telegram_bot_token": TOKEN, "telegram_api_base_url": emulator.base_url}
    )
    nlu = FakeNlu()
    app = App(sessions.kw["bind"], sessions, nlu, build_dialogue(local, sessions, nlu))
    async with polling(build_bot(local, app)) as running:
        yield running


async def test_remind_me_and_permit_are_kept_shown_and_deleted(
    emulator: BotApiEmulator, bot: RunningBot, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        event = Event(
            slug="festa",
            translations={"es": {"title": "Fiesta de barrio", "text": "Música"}},
            starts_at=datetime.now(UTC) + timedelta(days=5),
            province="PU",
            source_url="https://example.org/festa",
        )
        session.add(event)
        session.flush()
        event_id = event.id
    user = emulator.user(4200, "es")
    await bot.handled(emulator.send_text(user, "/events"))
    listing = emulator.chat(4200)[-1]
    assert REMIND + str(event_id) in payloads(listing)
    await bot.handled(emulator.tap(user, listing, REMIND + str(event_id)))
    assert all(p.startswith(START) for p in payloads(emulator.chat(4200)[-1]))  # consent first
    await bot.handled(emulator.tap(user, emulator.chat(4200)[-1], START + "es"))
    await bot.handled(emulator.tap(user, listing, REMIND + str(event_id)))
    with sessions() as session:
        assert session.scalars(select(EventReminder.chat_id)).all() == [4200]

    await bot.handled(emulator.send_text(user, "/permit"))
    assert "31/12/2027" in emulator.chat(4200)[-1]["text"]
    await bot.handled(emulator.send_text(user, "mañana"))  # not a date
    assert "/permit 31/12/2027" in emulator.chat(4200)[-1]["text"]
    await bot.handled(emulator.send_text(user, "/permit"))
    later = (datetime.now(UTC) + timedelta(days=400)).date()
    await bot.handled(emulator.send_text(user, later.strftime("%d.%m.%Y")))
    with sessions() as session:
        assert session.get_one(PermitReminder, 4200).expires_on == later
    await bot.handled(emulator.send_text(user, "/mydata"))
    shown = emulator.chat(4200)[-1]["text"]
    assert str(later.year) in shown

    await bot.handled(emulator.send_text(user, "/permit"))
    menu = emulator.chat(4200)[-1]
    assert STOP_PERMIT in payloads(menu)
    await bot.handled(emulator.tap(user, menu, STOP_PERMIT))
    with sessions() as session:
        assert session.get(PermitReminder, 4200) is None
    await bot.handled(emulator.send_text(user, f"/permit {later.isoformat()}"))

    await bot.handled(emulator.send_text(user, "/deletedata"))
    await bot.handled(emulator.tap(user, emulator.chat(4200)[-1], DELETE + "yes"))
    with sessions() as session:
        assert session.scalars(select(EventReminder)).all() == []
        assert session.scalars(select(PermitReminder)).all() == []
    assert emulator.errors == []
