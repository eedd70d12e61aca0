"""What a user typed goes with them: /deletedata deletes their unanswered questions from the
mediators' inbox, another user's stay, and the reply says what happened (both databases)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogue.app import build_dialogue
from dialogue.chats import Chats
from dialogue.payloads import Consent, DeleteData, encode
from dialogue.privacy import deleted
from shared.settings import Settings
from storage.inbox import InboxQuestion
from storage.users import UserState
from testbed.fakes import FakeNlu

ASKER, OTHER, STRANGER = 5301, 5302, 5303
TYPED = "sono Mario Rossi, chiamatemi al 333 123 4567 per la casa popolare"


def inbox(sessions: sessionmaker[Session]) -> dict[str, int | None]:
    """Each kept question and the chat it is linked to."""
    with sessions() as session:
        rows = session.execute(select(InboxQuestion.text, InboxQuestion.chat_id))
        return {row.text: row.chat_id for row in rows}


async def test_deletedata_deletes_the_users_unanswered_questions_and_no_one_elses(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    chats = Chats(build_dialogue(settings, sessions, FakeNlu()), sessions)
    for chat in (ASKER, OTHER):
        await chats.button(chat, UserState("it"), encode(Consent("it")))
        await chats.text(chat, UserState("it"), f"{TYPED} ({chat})")
    assert inbox(sessions) == {f"{TYPED} ({ASKER})": ASKER, f"{TYPED} ({OTHER})": OTHER}

    done = await chats.button(ASKER, UserState("it"), encode(DeleteData(True)))

    assert [r.text for r in done.replies] == [deleted("it", True, True).text]
    assert inbox(sessions) == {f"{TYPED} ({OTHER})": OTHER}
    again = await chats.button(ASKER, UserState("it"), encode(DeleteData(True)))
    assert [r.text for r in again.replies] == [deleted("it", True, False).text]


async def test_a_chat_that_never_agreed_leaves_its_question_unlinked(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    chats = Chats(build_dialogue(settings, sessions, FakeNlu()), sessions)
    await chats.text(STRANGER, UserState("it"), TYPED)
    assert inbox(sessions) == {TYPED: None}
