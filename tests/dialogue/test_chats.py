"""A chat's turns: consent before anything is kept, and /permit's wait shared by processes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from dialogue.app import build_dialogue
from dialogue.chats import KEEPING, Chats
from dialogue.payloads import Consent, Follow, encode
from dialogue.privacy import picker
from dialogue.reminders import ASK_SECONDS, permit_saved
from nlu.client import RasaClient
from shared.settings import Settings
from shared.vocabulary import LANGUAGES
from storage.reminders import PermitReminder
from storage.subscriptions import Subscription
from storage.users import BotUser, UserState

pytestmark = pytest.mark.rasa
CHAT = 5100
EXPIRY = date(2031, 3, 15)


def process(settings: Settings, sessions: sessionmaker[Session], rasa: RasaClient) -> Chats:
    """One bot process's view of the chats: its own core over the shared database."""
    return Chats(build_dialogue(settings, sessions, rasa), sessions)


def kept(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        users = session.scalar(select(func.count()).select_from(BotUser))
        follows = session.scalar(select(func.count()).select_from(Subscription))
        return (users or 0) + (follows or 0)


async def test_nothing_is_kept_before_the_notice_is_agreed(
    settings: Settings, sessions: sessionmaker[Session], rasa: RasaClient
) -> None:
    chats = process(settings, sessions, rasa)
    for name in KEEPING:
        turn = await chats.command(CHAT, UserState("ur"), name, "31/12/2030")
        assert [r.text for r in turn.replies] == [picker(LANGUAGES, "ur").text], name
    follow = await chats.button(CHAT, UserState("ur"), encode(Follow("events", on=True)))
    assert follow.replies[0].text == picker(LANGUAGES, "ur").text
    unknown = await chats.button(CHAT, UserState("ur"), encode(Consent("de")))
    assert unknown.replies[0].text == picker(LANGUAGES, "ur").text  # not a language we speak
    forged = await chats.button(CHAT, UserState("ur"), encode(Follow("nope", on=True)))
    assert forged.replies
    assert kept(sessions) == 0


async def test_the_date_after_permit_is_read_by_any_process_within_the_wait(
    settings: Settings, sessions: sessionmaker[Session], rasa: RasaClient
) -> None:
    asking, answering = process(settings, sessions, rasa), process(settings, sessions, rasa)
    await asking.button(CHAT, UserState("it"), encode(Consent("it")))
    await asking.command(CHAT, UserState("it"), "permit", "")
    turn = await answering.text(CHAT, UserState("it"), "15/03/2031")
    assert [r.text for r in turn.replies] == [permit_saved("it", EXPIRY).text]
    with sessions() as session:
        permit = session.get(PermitReminder, CHAT)
        assert permit is not None and permit.expires_on == EXPIRY

    # One answer only: the next date-like text is a question again.
    again = await answering.text(CHAT, UserState("it"), "16/03/2031")
    assert permit_saved("it", date(2031, 3, 16)).text not in [r.text for r in again.replies]


async def test_a_late_answer_is_a_question(
    settings: Settings, sessions: sessionmaker[Session], rasa: RasaClient
) -> None:
    chats = process(settings, sessions, rasa)
    await chats.button(CHAT, UserState("it"), encode(Consent("it")))
    await chats.command(CHAT, UserState("it"), "permit", "")
    state = chats.state(CHAT, UserState("it"))
    assert state.asked_permit_at is not None
    state.asked_permit_at -= timedelta(seconds=ASK_SECONDS + 1)
    chats.users.save(CHAT, state)
    turn = await chats.text(CHAT, UserState("it"), "15/03/2031")
    assert permit_saved("it", EXPIRY).text not in [r.text for r in turn.replies]
    with sessions() as session:
        assert session.get(PermitReminder, CHAT) is None
        asked = session.get(BotUser, CHAT)
        assert asked is not None and asked.asked_permit_at is None


async def test_a_database_failure_is_an_apology_in_the_users_language(
    settings: Settings, sessions: sessionmaker[Session], rasa: RasaClient
) -> None:
    chats = process(settings, sessions, rasa)
    with sessions.begin() as session:
        cascade = " CASCADE" if session.bind and session.bind.dialect.name == "postgresql" else ""
        session.execute(text(f"DROP TABLE bot_users{cascade}"))
    apology = [r.text for r in chats.dialogue.apology("uk").replies]
    for turn in (
        await chats.text(CHAT, UserState("uk"), "привіт"),
        await chats.button(CHAT, UserState("uk"), encode(Follow("events", on=True))),
        await chats.command(CHAT, UserState("uk"), "mydata", ""),
    ):
        assert [r.text for r in turn.replies] == apology
