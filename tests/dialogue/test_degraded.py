"""Storage that cannot be written: the user is still answered; what they chose is never lost
silently."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prometheus_client import REGISTRY
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from content.loader import load_seed
from content.repository import published_translations
from dialogue.app import build_dialogue
from dialogue.chats import TURN_WRITES, Chats
from dialogue.payloads import ChooseLanguage, Vote, encode
from nlu.client import Parse
from shared.settings import Settings
from storage.content import Faq
from storage.db import make_engine, make_sessionmaker
from storage.inbox import InboxQuestion
from storage.users import Feedback, MessageCount, UserState, UserStore
from testbed.fakes import FakeNlu
from tests.support.content import shown_first
from tests.support.databases import fresh_engine

CHAT = 4242
NOT_KEPT = "primm_not_kept_total"


def _read_only(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA query_only=ON")


def _seeded_file(tmp_path: Path) -> tuple[str, Faq]:
    """A seeded SQLite file with one chat that agreed; the URL and an FAQ."""
    engine = fresh_engine("sqlite", tmp_path)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        load_seed(session)
    UserStore(sessions).consent(CHAT, UserState("fr"))
    with sessions() as session:
        faq = session.scalars(select(Faq).order_by(Faq.slug)).first()
        assert faq is not None
        _ = faq.translations
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    return url, faq


def _kept(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as session:
        counted = session.scalar(select(func.coalesce(func.sum(MessageCount.count), 0)))
        asked = session.scalar(select(func.count()).select_from(InboxQuestion))
    return int(counted or 0), int(asked or 0)


async def test_a_read_only_database_still_answers_and_says_sorry_only_for_a_lost_choice(
    settings: Settings, tmp_path: Path
) -> None:
    url, faq = _seeded_file(tmp_path)
    text = published_translations(faq)["fr"]
    engine = make_engine(url)
    event.listen(engine, "connect", _read_only)
    sessions = make_sessionmaker(engine)
    nlu = FakeNlu({text.question: Parse("faq", 0.97, [("faq", 0.97)], faq.slug, 0.95)})
    chats = Chats(build_dialogue(settings, sessions, nlu), sessions)
    fallback = UserState("fr")
    sorry = chats.dialogue.apology("fr").replies[0].text
    before = _kept(sessions)

    answered = await chats.text(CHAT, fallback, text.question)
    assert shown_first(text) in answered.replies[0].text
    unknown = await chats.text(CHAT, fallback, "xyzzy plugh")
    assert unknown.replies and sorry not in [reply.text for reply in unknown.replies]
    assert _kept(sessions) == before, "nothing could be written, and nothing was"

    # Choosing another language cannot be kept: the user is told, not silently ignored.
    switched = await chats.button(CHAT, fallback, encode(ChooseLanguage("en")))
    assert [reply.text for reply in switched.replies] == [sorry]
    engine.dispose()


def _refuse(engine: Engine, table: str) -> None:
    """The database itself refuses every new row of `table` (a full disk, a broken index)."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    f"CREATE TRIGGER refuse BEFORE INSERT ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
            return
        connection.execute(
            text(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql "
                "AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$"
            )
        )
        connection.execute(
            text(f"CREATE TRIGGER refuse BEFORE INSERT ON {table} EXECUTE FUNCTION refuse()")
        )


def _votes(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Feedback)) or 0)


async def test_a_turn_whose_last_write_fails_keeps_none_of_its_writes_and_still_answers(
    settings: Settings, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        load_seed(session)
    # A 👎 keeps the vote, then the FAQ's question for the inbox: the inbox refuses it.
    _refuse(engine, "inbox_questions")
    chats = Chats(build_dialogue(settings, sessions, FakeNlu()), sessions)
    failed = REGISTRY.get_sample_value(NOT_KEPT, {"what": TURN_WRITES}) or 0
    turn = await chats.button(CHAT, UserState("uk"), encode(Vote("permit_renewal", False)))
    thanks = chats.dialogue.answers.feedback_reply(False, "uk")
    assert [reply.text for reply in turn.replies] == [thanks.text], "answered, no apology"
    assert _votes(sessions) == 0, "the vote went with the inbox question: all or nothing"
    assert REGISTRY.get_sample_value(NOT_KEPT, {"what": TURN_WRITES}) == failed + 1


async def test_counts_that_cannot_be_written_never_cost_the_topic_or_the_answer(
    settings: Settings, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        load_seed(session)
        faq = session.scalars(select(Faq).where(Faq.slug == "permit_renewal")).one()
        text = published_translations(faq)["ar"]
    UserStore(sessions).consent(CHAT, UserState("ar"))
    _refuse(engine, "message_counts")
    nlu = FakeNlu({text.question: Parse("faq", 0.97, [("faq", 0.97)], faq.slug, 0.95)})
    chats = Chats(build_dialogue(settings, sessions, nlu), sessions)
    turn = await chats.text(CHAT, UserState("ar"), text.question)
    assert shown_first(text) in turn.replies[0].text
    kept = UserStore(sessions).load(CHAT)
    assert kept is not None and kept.last_faq == faq.slug, "kept for a follow-up, on its own"
    assert _kept(sessions) == (0, 0)
