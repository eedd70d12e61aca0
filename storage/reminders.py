"""What users asked to be reminded of: events (the day before) and their permit's expiry.

Renewing a residence permit must be asked for at least 60 days before it expires. The first
reminder comes 90 days before expiry, a month before that deadline, to gather the documents and
get the postal kit; the second 70 days before, ten days before the deadline, while there is still
time to post the application. Someone who tells the bot a date already inside a window gets the
latest reminder due at once, and no earlier one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    UniqueConstraint,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from shared.clock import ROME
from storage.base import Base, UtcDateTime
from storage.content import Event


class EventReminder(Base):
    """A user tapped "remind me" on an event: a message the day before it (sent once)."""

    __tablename__ = "event_reminders"
    __table_args__ = (UniqueConstraint("chat_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("bot_users.chat_id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())


class PermitReminder(Base):
    """When a user's residence permit expires, kept only to remind them to renew it in time.

    `reminded_days` is the last reminder queued (days before expiry), so each goes out once.
    """

    __tablename__ = "permit_reminders"

    chat_id: Mapped[int] = mapped_column(
        BigInteger,
        ForeignKey("bot_users.chat_id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    expires_on: Mapped[date] = mapped_column(Date, index=True)
    reminded_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())


RENEW_BEFORE = 60  # days: the law's deadline for asking to renew
STAGES = (90, 70)  # days before expiry at which a reminder is sent
REMIND_AT = time(10, 0)  # Europe/Rome, on the day before an event


def event_reminder_time(starts_at: datetime) -> datetime:
    """10:00 Europe/Rome on the day before the event."""
    day = starts_at.astimezone(ROME).date() - timedelta(days=1)
    return datetime.combine(day, REMIND_AT, tzinfo=ROME)


def deadline(expires_on: date) -> date:
    """The last day to ask for the renewal."""
    return expires_on - timedelta(days=RENEW_BEFORE)


def reminder_days(expires_on: date) -> list[date]:
    """The days the reminders go out."""
    return [expires_on - timedelta(days=days) for days in STAGES]


def stage_due(expires_on: date, today: date) -> int | None:
    """The latest stage (days before expiry) whose day has come, if any."""
    due = [days for days in STAGES if today >= expires_on - timedelta(days=days)]
    return min(due) if due else None


class ReminderStore:
    """Reads and writes one chat's reminders; both go with the user on /deletedata."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def remind_event(
        self, chat_id: int, event_id: int, now: datetime, visible: Callable[[Event], bool]
    ) -> Event | None:
        """Remember the wish (once); the event, or None when it is unknown, over or not
        `visible` to this user (a forged button of a draft)."""
        with self.sessions.begin() as session:
            event = session.get(Event, event_id)
            if event is None or event.starts_at <= now or not visible(event):
                return None
            known = session.scalar(
                select(EventReminder.id).where(
                    EventReminder.chat_id == chat_id, EventReminder.event_id == event_id
                )
            )
            if known is None:
                session.add(EventReminder(chat_id=chat_id, event_id=event_id))
            session.expunge(event)
            return event

    def events(self, chat_id: int) -> int:
        """How many event reminders a chat asked for."""
        with self.sessions() as session:
            query = select(func.count()).where(EventReminder.chat_id == chat_id)
            return int(session.scalar(query) or 0)

    def permit(self, chat_id: int) -> date | None:
        """The expiry date a chat gave, if any."""
        with self.sessions() as session:
            row = session.get(PermitReminder, chat_id)
            return row.expires_on if row else None

    def set_permit(self, chat_id: int, expires_on: date) -> None:
        """Keep (or change) the expiry date; a changed date gets its reminders afresh."""
        with self.sessions.begin() as session:
            row = session.get(PermitReminder, chat_id)
            if row is None:
                session.add(PermitReminder(chat_id=chat_id, expires_on=expires_on))
            elif row.expires_on != expires_on:
                row.expires_on, row.reminded_days = expires_on, None

    def forget_permit(self, chat_id: int) -> bool:
        """Delete the date (no more reminders); False when none was kept."""
        with self.sessions.begin() as session:
            result = session.execute(
                delete(PermitReminder).where(PermitReminder.chat_id == chat_id)
            )
            return bool(getattr(result, "rowcount", 0))
