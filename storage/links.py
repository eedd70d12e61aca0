"""Linking a Telegram chat to an admin account: a one-time code made in the tool, sent from it.

The code proves that whoever holds the account also holds the chat, so the official bot writes
tests only to chats their editors own. Codes are short-lived, used once, and kept as a hash.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from storage.admin import AdminUser, AuditEntry, ChatLinkCode

# What the deep link's start parameter and the typed command carry before the code.
LINK_PREFIX = "link-"
# Letters and digits that cannot be mistaken for one another when read aloud or retyped.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_LENGTH = 12  # about 59 bits: guessing one within its minutes is out of reach


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def new_code(session: Session, account_id: int, now: datetime, lifetime: timedelta) -> str:
    """A fresh code for the account; its earlier codes and every expired one stop working."""
    session.execute(
        delete(ChatLinkCode).where(
            (ChatLinkCode.account_id == account_id) | (ChatLinkCode.expires_at <= now)
        )
    )
    code = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    session.add(
        ChatLinkCode(account_id=account_id, code_hash=_hash(code), expires_at=now + lifetime)
    )
    return code


class LinkStore:
    """Redeems codes sent to the bot."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def redeem(self, code: str, chat_id: int, now: datetime) -> str | None:
        """Link `chat_id` to the code's active account and spend the code; the account's name."""
        with self.sessions.begin() as session:
            row = session.scalar(
                select(ChatLinkCode).where(ChatLinkCode.code_hash == _hash(code)).with_for_update()
            )
            if row is None:
                return None
            session.delete(row)
            account = session.get(AdminUser, row.account_id)
            if row.expires_at <= now or account is None or not account.active:
                return None
            before = account.telegram_chat_id
            account.telegram_chat_id = chat_id
            session.add(
                AuditEntry(
                    username=account.username,
                    action="profile.link",
                    target=f"users/{account.username}",
                    before={"telegram_chat_id": before},
                    after={"telegram_chat_id": chat_id},
                )
            )
            return account.username
