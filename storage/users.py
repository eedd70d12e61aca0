"""What the bot keeps about its users: the consenting chat, feedback, daily counts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, Integer, String, UniqueConstraint, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from storage.base import PROVINCE_CHECK, Base, UtcDateTime


class BotUser(Base):
    """A Telegram chat that agreed to the privacy notice: only what the bot needs to answer it.

    No name, username or message text is kept; the row exists only after consent. The tables
    that name a user by `chat_id` have no relationship to it, and the unit of work orders such
    tables by module and class name, not by foreign key: flush a new user before its rows.
    """

    __tablename__ = "bot_users"
    __table_args__ = (CheckConstraint(PROVINCE_CHECK, name="province"),)

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(8))
    province: Mapped[str | None] = mapped_column(String(2))
    comune: Mapped[str | None] = mapped_column(String(100))
    # The topic of the last question, never its text: "and in Fermo?" is answered with it.
    last_category: Mapped[str | None] = mapped_column(String(32))
    last_office: Mapped[str | None] = mapped_column(String(32))  # the kind of office named
    last_faq: Mapped[str | None] = mapped_column(String(64))  # the FAQ answered last, its slug
    consented_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When /permit asked for the date: the next text is read as the date, in any bot process.
    asked_permit_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


# Telegram's private chats have positive ids. The terminal chat (`TERMINAL`) and the admin's
# "try the bot" (`tried_by`) keep their data under the others, and nothing is sent to those.
TERMINAL = 0
TELEGRAM = BotUser.chat_id > 0


def tried_by(account_id: int) -> int:
    """The chat id of an editor's own conversation in "try the bot"."""
    return -account_id


class Feedback(Base):
    """A 👍 or 👎 on an answer: what was answered and in which language, never who asked.

    Kept for `retention_days` at most, like everything users leave behind.
    """

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(80), index=True)  # "faq/<slug>" or a category key
    language: Mapped[str] = mapped_column(String(8))
    helpful: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class MessageCount(Base):
    """How many questions a day got which route: counts only, no text and no user."""

    __tablename__ = "message_counts"
    __table_args__ = (UniqueConstraint("day", "language", "category", "engine", "answered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    language: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(32))  # the routed key, or the guess, or "none"
    engine: Mapped[str] = mapped_column(String(16))  # "rasa" or "search"
    answered: Mapped[bool]
    count: Mapped[int] = mapped_column(Integer, default=0)


@dataclass
class UserState:
    """What the core remembers about a user: their language, their area, the last topic asked,
    and when /permit asked for a date.

    The topic is a category key and the kind of office named, if any (a slug prefix), never the
    message: it lets "and in Fermo?" be answered.
    """

    language: str
    province: str | None = None
    comune: str | None = None
    last_category: str | None = None
    last_office: str | None = None
    asked_permit_at: datetime | None = None
    last_faq: str | None = None  # "how much?" after an answer is read with that FAQ


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
            user.language,
            user.province,
            user.comune,
            user.last_category,
            user.last_office,
            user.asked_permit_at,
            user.last_faq,
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
            save_state(session, chat_id, state)

    def delete(self, chat_id: int) -> bool:
        """Forget a chat entirely (/deletedata); False when nothing was stored."""
        with self.sessions.begin() as session:
            user = session.get(BotUser, chat_id)
            if user is None:
                return False
            session.delete(user)
            return True


def save_state(session: Session, chat_id: int, state: UserState) -> None:
    """Keep a chat's state in the session's transaction, only for a chat that consented."""
    # One UPDATE, no SELECT first: a chat that never agreed has no row to match.
    session.execute(update(BotUser).where(BotUser.chat_id == chat_id).values(asdict(state)))


def _keep(user: BotUser, state: UserState) -> None:
    user.language, user.province, user.comune = state.language, state.province, state.comune
    user.last_category, user.last_office = state.last_category, state.last_office
    user.asked_permit_at, user.last_faq = state.asked_permit_at, state.last_faq
