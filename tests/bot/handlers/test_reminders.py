"""Remind-me on an event and /permit: opt-in after consent, shown by /mydata, erased by
/deletedata."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogue.payloads import (
    CancelPermit,
    Consent,
    DeleteData,
    RemindEvent,
    StopPermit,
    decode,
    encode,
)
from dialogue.reminders import permit_cancelled, permit_saved
from storage.content import Event
from storage.reminders import EventReminder, PermitReminder
from testbed.botapi import BotApiEmulator
from tests.support.telegram import RunningBot, payloads, plain


def add_event(
    sessions: sessionmaker[Session],
    slug: str,
    spanish: dict[str, str],
    statuses: dict[str, str] | None = None,
) -> int:
    """An event in five days with a Spanish text (published unless `statuses` says not)."""
    with sessions.begin() as session:
        event = Event(
            slug=slug,
            translations={"es": spanish},
            statuses=statuses or {},
            starts_at=datetime.now(UTC) + timedelta(days=5),
            province="PU",
            source_url=f"https://example.org/{slug}",
        )
        session.add(event)
        session.flush()
        return event.id


async def test_remind_me_and_permit_are_kept_shown_and_deleted(
    emulator: BotApiEmulator, offline_bot: RunningBot, sessions: sessionmaker[Session]
) -> None:
    event_id = add_event(sessions, "festa", {"title": "Fiesta de barrio", "text": "Música"})
    user = emulator.user(4200, "es")
    await offline_bot.handled(emulator.send_text(user, "/events"))
    listing = emulator.chat(4200)[-1]
    assert encode(RemindEvent(event_id)) in payloads(listing)
    await offline_bot.handled(emulator.tap(user, listing, encode(RemindEvent(event_id))))
    assert all(
        isinstance(decode(p), Consent) for p in payloads(emulator.chat(4200)[-1])
    )  # consent first
    await offline_bot.handled(emulator.tap(user, emulator.chat(4200)[-1], encode(Consent("es"))))
    await offline_bot.handled(emulator.tap(user, listing, encode(RemindEvent(event_id))))
    with sessions() as session:
        assert session.scalars(select(EventReminder.chat_id)).all() == [4200]

    await offline_bot.handled(emulator.send_text(user, "/permit"))
    assert "31/12/2027" in emulator.chat(4200)[-1]["text"]
    await offline_bot.handled(emulator.send_text(user, "mañana"))  # not a date: a question
    assert "31/12/2027" in emulator.chat(4200)[-1]["text"]  # the bot still waits for the date
    later = (datetime.now(UTC) + timedelta(days=400)).date()
    await offline_bot.handled(emulator.send_text(user, later.strftime("%d.%m.%Y")))
    with sessions() as session:
        assert session.get_one(PermitReminder, 4200).expires_on == later
    await offline_bot.handled(emulator.send_text(user, "/mydata"))
    shown = emulator.chat(4200)[-1]["text"]
    assert str(later.year) in shown

    await offline_bot.handled(emulator.send_text(user, "/permit"))
    menu = emulator.chat(4200)[-1]
    assert encode(StopPermit()) in payloads(menu)
    await offline_bot.handled(emulator.tap(user, menu, encode(StopPermit())))
    with sessions() as session:
        assert session.get(PermitReminder, 4200) is None
    await offline_bot.handled(emulator.send_text(user, f"/permit {later.isoformat()}"))

    await offline_bot.handled(emulator.send_text(user, "/deletedata"))
    await offline_bot.handled(
        emulator.tap(user, emulator.chat(4200)[-1], encode(DeleteData(True)))
    )
    with sessions() as session:
        assert session.scalars(select(EventReminder)).all() == []
        assert session.scalars(select(PermitReminder)).all() == []
    assert emulator.errors == []


@pytest.mark.parametrize("language", ["uk", "zh", "ar"])
async def test_permit_waits_kindly_for_the_date(
    emulator: BotApiEmulator,
    offline_bot: RunningBot,
    sessions: sessionmaker[Session],
    language: str,
) -> None:
    user = emulator.user(4300, language)
    await offline_bot.handled(emulator.send_text(user, "/permit"))
    await offline_bot.handled(
        emulator.tap(user, emulator.chat(4300)[-1], encode(Consent(language)))
    )
    await offline_bot.handled(emulator.send_text(user, "/permit"))
    asked = emulator.chat(4300)[-1]
    assert encode(CancelPermit()) in payloads(asked)

    # An unreadable date: another try, with the format, and the bot still waits.
    await offline_bot.handled(emulator.send_text(user, "31/02/2031"))
    again = emulator.chat(4300)[-1]
    assert "31/12/2027" in again["text"] and payloads(again) == [encode(CancelPermit())]
    expiry = datetime(2031, 3, 15, tzinfo=UTC).date()
    await offline_bot.handled(emulator.send_text(user, "15/03/2031"))
    assert plain(emulator.chat(4300)[-1]["text"]) == permit_saved(language, expiry).text
    with sessions() as session:
        assert session.get_one(PermitReminder, 4300).expires_on == expiry

    # Cancel ends the wait, in place of the message it was pressed on; a date is then no answer.
    await offline_bot.handled(emulator.send_text(user, "/permit"))
    asked = emulator.chat(4300)[-1]
    await offline_bot.handled(emulator.tap(user, asked, encode(CancelPermit())))
    assert plain(emulator.chat(4300)[-1]["text"]) == permit_cancelled(language).text
    await offline_bot.handled(emulator.send_text(user, "16/03/2031"))
    with sessions() as session:
        assert session.get_one(PermitReminder, 4300).expires_on == expiry
    assert emulator.errors == []


async def test_a_forged_remind_me_of_a_draft_or_of_no_row_schedules_nothing(
    emulator: BotApiEmulator, offline_bot: RunningBot, sessions: sessionmaker[Session]
) -> None:
    drafts = dict.fromkeys(("es", "en", "it"), "draft")
    draft_id = add_event(sessions, "bozza", {"title": "Reunión", "text": "Via Roma 3"}, drafts)
    user = emulator.user(4300, "es")
    await offline_bot.handled(emulator.send_text(user, "/start"))
    await offline_bot.handled(emulator.tap(user, emulator.chat(4300)[-1], encode(Consent("es"))))
    replies = []
    for forged in (f"remind:{draft_id}", "remind:" + "9" * 23, f"remind:{2**63}", "remind:²"):
        await offline_bot.handled(emulator.press(user, forged, emulator.chat(4300)[-1]))
        replies.append(emulator.chat(4300)[-1]["text"])
    assert replies[0] == "Este evento ya ha terminado o ya no está en la lista."
    for reply in replies:
        assert "Reunión" not in reply
        assert "algo ha fallado" not in reply, "an overflow, not a refusal"
    with sessions() as session:
        assert session.scalars(select(EventReminder)).all() == []
    assert emulator.errors == []
