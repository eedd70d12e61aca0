"""Link codes on both databases: used once, short-lived, only for an active account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from admin.auth import create_user
from storage.admin import AdminUser, ChatLinkCode, Role
from storage.links import LinkStore, new_code

MINUTES = timedelta(minutes=15)


def account(sessions: sessionmaker[Session], name: str = "editor") -> int:
    with sessions.begin() as session:
        return create_user(session, name, "a long enough password", Role.EDITOR).id


def code_for(sessions: sessionmaker[Session], account_id: int, now: datetime) -> str:
    with sessions.begin() as session:
        return new_code(session, account_id, now, MINUTES)


def chat_of(sessions: sessionmaker[Session], account_id: int) -> int | None:
    with sessions() as session:
        return session.get_one(AdminUser, account_id).telegram_chat_id


def test_a_code_links_once_and_is_kept_only_as_a_hash(sessions: sessionmaker[Session]) -> None:
    now = datetime.now(UTC)
    editor = account(sessions)
    code = code_for(sessions, editor, now)
    with sessions() as session:
        assert code not in {row.code_hash for row in session.scalars(select(ChatLinkCode))}
    store = LinkStore(sessions)
    assert store.redeem(code.lower(), 2**62, now) == "editor"  # the largest ids Telegram gives
    assert store.redeem(code, 77, now) is None
    assert chat_of(sessions, editor) == 2**62


def test_an_expired_code_links_nothing(sessions: sessionmaker[Session]) -> None:
    now = datetime.now(UTC)
    editor = account(sessions)
    code = code_for(sessions, editor, now)
    assert LinkStore(sessions).redeem(code, 77, now + MINUTES + timedelta(seconds=1)) is None
    assert chat_of(sessions, editor) is None


def test_a_disabled_account_links_nothing(sessions: sessionmaker[Session]) -> None:
    now = datetime.now(UTC)
    editor = account(sessions)
    code = code_for(sessions, editor, now)
    with sessions.begin() as session:
        session.get_one(AdminUser, editor).active = False
    assert LinkStore(sessions).redeem(code, 77, now) is None
    assert chat_of(sessions, editor) is None
