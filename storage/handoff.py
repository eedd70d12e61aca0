"""Conversations handed to a person: tickets and their messages (never the text)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload, sessionmaker

from storage.base import PROVINCE_CHECK, Base, UtcDateTime, enum_column
from storage.users import UserState


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


LIVE = (TicketStatus.REQUESTED, TicketStatus.OPEN)


class TicketStore:
    """Reads and writes `handoff_tickets`: chat, language, province, state, times, message ids."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def live(self, chat_id: int) -> HandoffTicket | None:
        """The chat's conversation that is asked for or open, with its group messages."""
        with self.sessions() as session:
            return session.scalars(
                select(HandoffTicket)
                .where(HandoffTicket.chat_id == chat_id, HandoffTicket.status.in_(LIVE))
                .options(selectinload(HandoffTicket.messages))
                .order_by(HandoffTicket.id.desc())
            ).first()

    def request(self, chat_id: int, state: UserState, now: datetime) -> HandoffTicket:
        """The chat's live conversation, or a new one asked for now (the user consented)."""
        ticket = self.live(chat_id)
        if ticket is not None:
            return ticket
        with self.sessions.begin() as session:
            ticket = HandoffTicket(
                chat_id=chat_id,
                language=state.language,
                province=state.province,
                status=TicketStatus.REQUESTED,
                opened_at=now,
                updated_at=now,
                messages=[],
            )
            session.add(ticket)
        return ticket

    def posted(self, ticket_id: int, group_message_ids: list[int], now: datetime) -> None:
        """The bot posted these messages in the group for the ticket: it is open."""
        with self.sessions.begin() as session:
            ticket = session.get(HandoffTicket, ticket_id)
            if ticket is None:
                return
            ticket.status, ticket.updated_at = TicketStatus.OPEN, now
            session.add_all(
                HandoffMessage(ticket_id=ticket_id, group_message_id=message_id)
                for message_id in group_message_ids
            )

    def forget(self, ticket_id: int) -> None:
        """Delete a ticket that never reached the group (its first message could not go)."""
        with self.sessions.begin() as session:
            ticket = session.get(HandoffTicket, ticket_id)
            if ticket and ticket.status is TicketStatus.REQUESTED and not ticket.messages:
                session.delete(ticket)

    def touched(self, ticket_id: int, now: datetime) -> None:
        """A message went either way: the retention clock starts again."""
        with self.sessions.begin() as session:
            ticket = session.get(HandoffTicket, ticket_id)
            if ticket is not None:
                ticket.updated_at = now

    def by_group_message(self, group_message_id: int) -> HandoffTicket | None:
        """The ticket a message in the group belongs to (the newest, should ids repeat)."""
        with self.sessions() as session:
            return session.scalars(
                select(HandoffTicket)
                .join(HandoffMessage)
                .where(HandoffMessage.group_message_id == group_message_id)
                .order_by(HandoffTicket.id.desc())
            ).first()

    def close(self, ticket_id: int, now: datetime) -> HandoffTicket | None:
        """Close a live ticket; None when it is closed already or gone."""
        with self.sessions.begin() as session:
            ticket = session.get(HandoffTicket, ticket_id)
            if ticket is None or ticket.status not in LIVE:
                return None
            ticket.status, ticket.closed_at, ticket.updated_at = TicketStatus.CLOSED, now, now
            return ticket

    def of_chat(self, chat_id: int) -> list[HandoffTicket]:
        """Every ticket kept for a chat, oldest first (for /mydata)."""
        with self.sessions() as session:
            query = select(HandoffTicket).where(HandoffTicket.chat_id == chat_id)
            return list(session.scalars(query.order_by(HandoffTicket.id)))
