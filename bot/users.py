"""What the bot remembers about a chat, in the database so restarts and several processes agree."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from dialogue.core import UserState
from storage.users import BotUser


class UserStore:
    """Reads and writes `bot_users`; nothing is stored before the user consents."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def load(self, chat_id: int) -> UserState | None:
        """The stored state of a chat, or None if it never consented."""
        user = self.row(chat_id)
        if user is None:
            return None
        return UserState(
            user.language, user.province, user.comune, user.last_category, user.last_office
        )

    def row(self, chat_id: int) -> BotUser | None:
        """Everything kept about a chat (for /mydata), or None."""
        with self.sessions() as session:
            user = session.get(BotUser, chat_id)
            if user is not None:
                session.expunge(user)
            return user

    def consent(self, chat_id: int, state: UserState) -> None:
        """Record consent now and keep the state."""
        with self.sessions.begin() as session:
            user = session.get(BotUser, chat_id)
            if user is None:
                user = BotUser(chat_id=chat_id, language=state.language)
                session.add(user)
            _keep(user, state)
            user.consented_at = datetime.now(UTC)

    def save(self, chat_id: int, state: UserState) -> None:
        """Keep a changed language, area or last topic, only for chats that consented."""
        with self.sessions.begin() as session:
            user = session.get(BotUser, chat_id)
            if user is not None:
                _keep(user, state)

    def delete(self, chat_id: int) -> bool:
        """Forget a chat entirely (/deletedata); False when nothing was stored."""
        with self.sessions.begin() as session:
            user = session.get(BotUser, chat_id)
            if user is None:
                return False
            session.delete(user)
            return True


def _keep(user: BotUser, state: UserState) -> None:
    user.language, user.province, user.comune = state.language, state.province, state.comune
    user.last_category, user.last_office = state.last_category, state.last_office
