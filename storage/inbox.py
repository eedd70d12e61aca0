"""Questions the bot did not answer, kept for mediators until `retention_days`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UtcDateTime


class InboxQuestion(Base):
    """A question the bot could not answer confidently, or the question of an answer voted 👎.

    The text, its language and the bot's category guess. A text the user typed is linked to
    their chat while they have agreed to the notice, only so that /deletedata deletes it with
    the chat; nothing shows the link. Kept for `retention_days` at most. `faq_slug` is set when
    a mediator turned it into an FAQ's example.
    """

    __tablename__ = "inbox_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    chat_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("bot_users.chat_id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8), index=True)
    category: Mapped[str | None] = mapped_column(String(32))  # the bot's guess, if any
    topic: Mapped[str | None] = mapped_column(String(80))  # "faq/<slug>" of a 👎, else null
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    faq_slug: Mapped[str | None] = mapped_column(String(64))
    converted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
