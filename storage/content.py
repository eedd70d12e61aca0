"""The content base: categories, FAQs with versioned translations, services, courses, events."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import PROVINCE_CHECK, Base, Euros, UtcDateTime


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
    offices: Mapped[list[str]] = mapped_column(default=list)  # OFFICE_KINDS that serve it
    translations: Mapped[list[FaqTranslation]] = relationship(
        back_populates="faq",
        cascade="all, delete-orphan",
        # The id breaks ties: PostgreSQL returns rows of one version in any order, and the
        # training data (its hash names the model) must not change with it.
        order_by="[FaqTranslation.version, FaqTranslation.id]",
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
    short: Mapped[str] = mapped_column(Text, default="", server_default="")
    answer: Mapped[str] = mapped_column(Text)
    examples: Mapped[list[str]] = mapped_column(default=list)
    # What the person needs and brings, for the office's desk: {"need": ..., "documents": [...]}.
    desk: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
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
    kind: Mapped[str | None] = mapped_column(String(32))  # one of OFFICE_KINDS
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
    # Loaded with the office: the bot shows a corrected fact with the page that states it.
    checks: Mapped[list[FactCheck]] = relationship(
        order_by="FactCheck.id", lazy="selectin", cascade="all, delete-orphan"
    )


class FactCheck(Base):
    """A person's check of one fact of an office against an official page: right as shown, or
    wrong, with the right value and the page that states it (the office then shows that value)."""

    __tablename__ = "fact_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    fact: Mapped[str] = mapped_column(String(32))  # one of content.facts.FACTS
    right: Mapped[bool]  # False: the value shown was wrong and `value` is the right one
    value: Mapped[str | None] = mapped_column(Text)  # the value as checked, or the right one
    source_url: Mapped[str] = mapped_column(String(500))  # the page checked against
    source_date: Mapped[date | None] = mapped_column(Date)  # as that page gives it
    checked_by: Mapped[str] = mapped_column(String(64))
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)


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


FTS_TABLE = "search_fts"
PG_INDEX = "ix_search_entries_tsv"


def is_search_index(name: str) -> bool:
    """Names of the full-text objects migrations make by hand, which autogenerate ignores."""
    return name.startswith(FTS_TABLE) or name == PG_INDEX
