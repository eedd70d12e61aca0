"""Conversations handed to a person: tickets and their messages (never the text)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import PROVINCE_CHECK, Base, UtcDateTime, enum_column


class TicketStatus(enum.StrEnum):
    """A talk-to-a-person conversation: asked for (no message yet), open, or closed."""

    REQUESTED = "requested"
    OPEN = "open"
    CLOSED = "closed"


class HandoffTicket(Base):
    """A user's conversation with the mediators: only what relaying needs, no message text.

    The ticket number is what the mediators see instead of the user; deleted with the user
    (/deletedata) and purged `retention_days` after its last message.
    """

    __tablename__ = "handoff_tickets"
    __table_args__ = (CheckConstraint(PROVINCE_CHECK, name="province"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("bot_users.chat_id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    province: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus), index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    messages: Mapped[list[HandoffMessage]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", passive_deletes=True
    )


class HandoffMessage(Base):
    """A message the bot posted in the mediators' group for a ticket: a reply to it is routed."""

    __tablename__ = "handoff_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_tickets.id", ondelete="CASCADE"), index=True
    )
    group_message_id: Mapped[int] = mapped_column(BigInteger, index=True)
    ticket: Mapped[HandoffTicket] = relationship(back_populates="messages")
