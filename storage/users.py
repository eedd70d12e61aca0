"""What the bot keeps about its users: the consenting chat, feedback, daily counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

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
    consented_at: Mapped[datetime] = mapped_column(UtcDateTime)


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
