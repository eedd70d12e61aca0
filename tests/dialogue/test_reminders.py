"""/permit waits kindly: another try after an unreadable or past date, dates never questions,
and Cancel ends the wait; in the ten languages, on both databases, without Rasa."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date
from sqlalchemy.orm import Session, sessionmaker

from dialogue.app import build_dialogue
from dialogue.chats import Chats
from dialogue.core import Turn
from dialogue.payloads import CancelPermit, Consent, encode
from dialogue.reminders import permit_cancelled, permit_saved, read_permit, still_waiting
from shared.i18n import locale
from shared.settings import Settings
from shared.vocabulary import LANGUAGES
from storage.reminders import PermitReminder
from storage.users import UserState
from testbed.fakes import FakeNlu

CHAT = 5200
EXPIRY = date(2031, 3, 15)


async def asked(
    settings: Settings, sessions: sessionmaker[Session], language: str
) -> tuple[Chats, Turn]:
    """A chat that agreed to the notice and sent /permit, over the real core with an NLU that
    knows nothing; and the bot's question."""
    chats = Chats(build_dialogue(settings, sessions, FakeNlu()), sessions)
    await chats.button(CHAT, UserState(language), encode(Consent(language)))
    return chats, await chats.command(CHAT, UserState(language), "permit", "")


def kept(sessions: sessionmaker[Session]) -> date | None:
    with sessions() as session:
        permit = session.get(PermitReminder, CHAT)
        return permit.expires_on if permit else None


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_unreadable_date_gets_another_try_in_the_users_language(
    settings: Settings, sessions: sessionmaker[Session], language: str
) -> None:
    chats, question = await asked(settings, sessions, language)
    assert encode(CancelPermit()) in [b.payload for b in question.replies[0].buttons]

    unreadable = await chats.text(CHAT, UserState(language), "31/02/2031")
    again = read_permit("31/02/2031", language)
    assert not isinstance(again, date)
    assert [r.text for r in unreadable.replies] == [again.text]
    assert "31/12/2027" in again.text
    assert format_date(date(2027, 12, 31), "long", locale=locale(language)) in again.text
    assert [b.payload for b in unreadable.replies[0].buttons] == [encode(CancelPermit())]

    passed = await chats.text(CHAT, UserState(language), "15/03/2020")
    assert [b.payload for b in passed.replies[0].buttons] == [encode(CancelPermit())]
    assert kept(sessions) is None

    # The next try, written the way the user's language writes dates, is kept.
    spelled = format_date(EXPIRY, "long", locale=locale(language))
    saved = await chats.text(CHAT, UserState(language), spelled)
    assert [r.text for r in saved.replies] == [permit_saved(language, EXPIRY).text]
    assert kept(sessions) == EXPIRY


async def test_a_text_that_is_no_date_is_a_question_and_the_wait_goes_on(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    chats, _question = await asked(settings, sessions, "es")
    question = await chats.text(CHAT, UserState("es"), "mañana")
    assert chats.dialogue.understander.nlu.seen == ["mañana"]  # type: ignore[attr-defined]
    # The core could not answer it: maybe it was the date, so the format comes again.
    assert question.replies[-1] == still_waiting("es")
    saved = await chats.text(CHAT, UserState("es"), "15 de marzo de 2031")
    assert [r.text for r in saved.replies] == [permit_saved("es", EXPIRY).text]
    assert chats.dialogue.understander.nlu.seen == ["mañana"]  # type: ignore[attr-defined]


async def test_cancel_ends_the_wait(settings: Settings, sessions: sessionmaker[Session]) -> None:
    chats, _question = await asked(settings, sessions, "ar")
    await chats.text(CHAT, UserState("ar"), "٣١/٠٢/٢٠٣١")  # unreadable: the bot waits on
    cancelled = await chats.button(CHAT, UserState("ar"), encode(CancelPermit()))
    assert [r.text for r in cancelled.replies] == [permit_cancelled("ar").text]
    after = await chats.text(CHAT, UserState("ar"), "١٥/٠٣/٢٠٣١")
    assert permit_saved("ar", EXPIRY).text not in [r.text for r in after.replies]
    assert kept(sessions) is None
