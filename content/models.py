"""SQLAlchemy models: the content base (FAQs with versioned translations, services, events) and
what the bot remembers about its users."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from primm.settings import PROVINCES

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
CENT = Decimal("0.01")
PROVINCE_CHECK = "province IS NULL OR province IN ({})".format(
    ", ".join(f"'{code}'" for code in PROVINCES)
)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on both backends (SQLite drops the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone (Europe/Rome or UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class Euros(TypeDecorator[Decimal]):
    """An amount in euro, kept exactly as whole cents on both backends (SQLite has no decimal)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        cents = Decimal(value) * 100
        if cents != cents.to_integral_value():
            raise ValueError(f"{value} euro is not a whole number of cents")
        return int(cents)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(CENT)


class Base(DeclarativeBase):
    """Declarative base with constraint names stable across SQLite and PostgreSQL."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, str]: JSON,
        list[str]: JSON,
        dict[str, dict[str, str]]: JSON,
    }


class TranslationStatus(enum.StrEnum):
    """Life cycle of one language version of an FAQ (as in integreat-cms)."""

    MISSING = "missing"
    DRAFT = "draft"
    REVIEWED = "reviewed"
    PUBLISHED = "published"


class Category(Base):
    """One of the ten stable topic keys the bot routes to."""

    __tablename__ = "categories"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class Faq(Base):
    """A question people ask, with one translation history per language."""

    __tablename__ = "faqs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    category_key: Mapped[str] = mapped_column(ForeignKey("categories.key"), index=True)
    source_url: Mapped[str] = mapped_column(String(500))
    source_date: Mapped[date | None] = mapped_column(Date)  # as the source page gives it
    verified_on: Mapped[date | None] = mapped_column(Date)
    translations: Mapped[list[FaqTranslation]] = relationship(
        back_populates="faq", cascade="all, delete-orphan", order_by="FaqTranslation.version"
    )


class FaqTranslation(Base):
    """One version of an FAQ in one language; an edit appends a row, nothing is overwritten."""

    __tablename__ = "faq_translations"
    __table_args__ = (UniqueConstraint("faq_id", "language", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    faq_id: Mapped[int] = mapped_column(ForeignKey("faqs.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[TranslationStatus] = mapped_column(
        Enum(
            TranslationStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    examples: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    # Provenance, as integreat-cms marks machine translations: the person who read this version
    # and found it right, and when; null for seed texts nobody checked. The bot ignores it.
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    faq: Mapped[Faq] = relationship(back_populates="translations")

    @property
    def reviewed(self) -> bool:
        """Whether a person reviewed this version."""
        return self.reviewed_at is not None


class IntentExamples(Base):
    """Example messages of a conversational or category intent in one language."""

    __tablename__ = "intent_examples"
    __table_args__ = (UniqueConstraint("intent", "language", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intent: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    # An uncovered topic of `out_of_scope` ("" otherwise): benchmarks hold out whole topics.
    topic: Mapped[str] = mapped_column(String(64), default="", server_default="")
    examples: Mapped[list[str]] = mapped_column(default=list)


class Service(Base):
    """An office or service a person can go to; every fact carries its source."""

    __tablename__ = "services"
    __table_args__ = (CheckConstraint(PROVINCE_CHECK, name="province"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    category_key: Mapped[str] = mapped_column(ForeignKey("categories.key"), index=True)
    province: Mapped[str | None] = mapped_column(String(2), index=True)
    comune: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(50))
    opening_hours: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(500))
    languages: Mapped[list[str]] = mapped_column(default=list)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    coordinates_precision: Mapped[str | None] = mapped_column(String(16))
    description: Mapped[dict[str, str]] = mapped_column(default=dict)
    source_url: Mapped[str] = mapped_column(String(500))
    source_date: Mapped[date | None] = mapped_column(Date)  # as the source page gives it
    verified_on: Mapped[date | None] = mapped_column(Date)


class Course(Base):
    """An Italian language course at one level."""

    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint(PROVINCE_CHECK, name="province"),
        CheckConstraint("level IN ('A1', 'A2', 'B1', 'B2')", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    provider: Mapped[str] = mapped_column(String(300))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    level: Mapped[str] = mapped_column(String(2))
    province: Mapped[str | None] = mapped_column(String(2), index=True)
    comune: Mapped[str | None] = mapped_column(String(100))
    place: Mapped[str | None] = mapped_column(String(300))
    schedule: Mapped[str | None] = mapped_column(Text)
    # 0 is free of charge; None: nobody knows yet. Shown with Babel in the user's locale.
    cost_eur: Mapped[Decimal | None] = mapped_column(Euros)
    enrolment: Mapped[dict[str, str]] = mapped_column(default=dict)
    source_url: Mapped[str] = mapped_column(String(500))
    source_date: Mapped[date | None] = mapped_column(Date)  # as the source page gives it
    verified_on: Mapped[date | None] = mapped_column(Date)
    service: Mapped[Service | None] = relationship()


class Event(Base):
    """An event published by regional staff; times are stored in UTC, shown in Europe/Rome.

    Each language's title and text has a status in `statuses`, as an announcement's text has:
    users read only published ones (no status: published). Translations whose Italian text was
    revised after them show as outdated, as FAQs do.
    """

    __tablename__ = "events"
    __table_args__ = (CheckConstraint(PROVINCE_CHECK, name="province"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(default=dict)
    statuses: Mapped[dict[str, str]] = mapped_column(default=dict)
    # When each language's text was last written (ISO, UTC): a revised Italian outdates the rest.
    text_changed_at: Mapped[dict[str, str]] = mapped_column(default=dict)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    place: Mapped[str | None] = mapped_column(String(300))
    province: Mapped[str | None] = mapped_column(String(2), index=True)
    organiser: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str] = mapped_column(String(500))
    source_date: Mapped[date | None] = mapped_column(Date)  # as the source page gives it
    verified_on: Mapped[date | None] = mapped_column(Date)


class SearchEntry(Base):
    """Text the full-text fallback searches: one row per FAQ or intent and language."""

    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("target", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(80))  # "faq/<slug>" or an intent key
    language: Mapped[str] = mapped_column(String(8))
    terms: Mapped[str] = mapped_column(Text)  # character trigrams, space-separated


class BotUser(Base):
    """A Telegram chat that agreed to the privacy notice: only what the bot needs to answer it.

    No name, username or message text is kept; the row exists only after consent.
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


def _enum(kind: type[enum.StrEnum]) -> Enum:
    """A portable VARCHAR enum storing the members' values (the same on both backends)."""
    return Enum(kind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


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
    topic: Mapped[Topic] = mapped_column(_enum(Topic))
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
        _enum(AnnouncementKind), default=AnnouncementKind.ANNOUNCEMENT
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
        _enum(AnnouncementStatus), default=AnnouncementStatus.DRAFT
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
        _enum(DeliveryState), default=DeliveryState.PENDING, index=True
    )
    reason: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


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
    status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus), index=True)
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


class InboxQuestion(Base):
    """A question the bot could not answer confidently, or the question of an answer voted 👎.

    Only the text, its language and the bot's category guess: never who asked. Kept for
    `retention_days` at most. `faq_slug` is set when a mediator turned it into an FAQ's example.
    """

    __tablename__ = "inbox_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), index=True)
    category: Mapped[str | None] = mapped_column(String(32))  # the bot's guess, if any
    topic: Mapped[str | None] = mapped_column(String(80))  # "faq/<slug>" of a 👎, else null
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    faq_slug: Mapped[str | None] = mapped_column(String(64))
    converted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


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


class RateCount(Base):
    """Hits of one user in one period of a rate limit, counted across bot processes.

    Kept for the current and the previous period only: the guard deletes older ones.
    """

    __tablename__ = "rate_counts"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    period: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hits: Mapped[int] = mapped_column(Integer)


class ChatTurn(Base):
    """The bot process handling a chat's update now: the chat's next update waits for its turn.

    A row lives while one update is handled; `until` frees a turn whose process died.
    """

    __tablename__ = "chat_turns"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    holder: Mapped[str] = mapped_column(String(32))
    until: Mapped[datetime] = mapped_column(UtcDateTime)


class JobRun(Base):
    """A periodic job's run for one period, claimed by the first process that gets there."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(32), primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
