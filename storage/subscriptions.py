"""Subscriptions to topics, announcements and their deliveries, and the subscription store."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from storage.base import PROVINCE_CHECK, Base, UtcDateTime, enum_column


class Topic(enum.StrEnum):
    """What a user may subscribe to; an announcement names the topics it is about."""

    EVENTS = "events"
    LANGUAGE_COURSES = "language_courses"
    HOUSING = "housing"
    SERVICES_NEWS = "services_news"


class Subscription(Base):
    """A user's opt-in to one topic, optionally in one province (else the user's own area).

    Deleted with the user (`/deletedata`) and when the user blocks the bot.
    """

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("chat_id", "topic"),
        CheckConstraint(PROVINCE_CHECK, name="province"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("bot_users.chat_id", ondelete="CASCADE"), index=True
    )
    topic: Mapped[Topic] = mapped_column(enum_column(Topic))
    province: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())


class AnnouncementStatus(enum.StrEnum):
    """Life cycle of an announcement; only the sender moves it past `scheduled`."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class AnnouncementKind(enum.StrEnum):
    """Who wrote an announcement: an editor, or the reminder job on behalf of users who asked."""

    ANNOUNCEMENT = "announcement"
    EVENT_REMINDER = "event_reminder"
    PERMIT_REMINDER = "permit_reminder"


class Announcement(Base):
    """A message to the subscribers of some topics, provinces and languages, sent at `send_at`.

    Empty `provinces` or `languages` mean all of them. A user whose language has no text gets
    the text in `fallback_language`, or nothing when it is null (the editor's choice). A text
    whose status in `statuses` is not `published` is not sent (no status: published).
    Reminders are announcements too, written with their delivery rows by the reminder job and
    found again by their unique `key`, so they go through the same sender.
    """

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AnnouncementKind] = mapped_column(
        enum_column(AnnouncementKind), default=AnnouncementKind.ANNOUNCEMENT
    )
    key: Mapped[str | None] = mapped_column(String(80), unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    texts: Mapped[dict[str, str]] = mapped_column(default=dict)
    statuses: Mapped[dict[str, str]] = mapped_column(default=dict)
    text_changed_at: Mapped[dict[str, str]] = mapped_column(default=dict)  # as an event's
    provinces: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    topics: Mapped[list[str]] = mapped_column(default=list)
    send_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    status: Mapped[AnnouncementStatus] = mapped_column(
        enum_column(AnnouncementStatus), default=AnnouncementStatus.DRAFT
    )
    fallback_language: Mapped[str | None] = mapped_column(String(8))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())


class DeliveryState(enum.StrEnum):
    """Where one recipient's copy is; `uncertain` copies may have arrived and are never resent."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"
    UNCERTAIN = "uncertain"


class Delivery(Base):
    """One recipient of one announcement, written before anything is sent (the outbox)."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("announcement_id", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), index=True
    )
    # Deleted with the user (/deletedata): a chat id is personal data, even in a report.
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("bot_users.chat_id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    province: Mapped[str | None] = mapped_column(String(2))  # the area it was sent for
    state: Mapped[DeliveryState] = mapped_column(
        enum_column(DeliveryState), default=DeliveryState.PENDING, index=True
    )
    reason: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SubscriptionStore:
    """Reads and writes `subscriptions` for one chat at a time."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def topics(self, chat_id: int) -> list[Topic]:
        """The topics a chat follows, in the order of `Topic`."""
        with self.sessions() as session:
            found = set(
                session.scalars(select(Subscription.topic).where(Subscription.chat_id == chat_id))
            )
        return [topic for topic in Topic if topic in found]

    def follow(self, chat_id: int, topic: Topic) -> None:
        """Subscribe (again, harmlessly, if already subscribed)."""
        if topic not in self.topics(chat_id):
            with self.sessions.begin() as session:
                session.add(Subscription(chat_id=chat_id, topic=topic))

    def unfollow(self, chat_id: int, topic: Topic) -> None:
        """Stop one topic."""
        with self.sessions.begin() as session:
            session.execute(
                delete(Subscription).where(
                    Subscription.chat_id == chat_id, Subscription.topic == topic
                )
            )
