"""The shape of the seed YAML files, validated on load and used again on export."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
)

from content.text import SHORT_LINES, SHORT_WORDS, fits_first_message, word_count
from content.texts import TextStatus
from shared.clock import today
from shared.vocabulary import CATEGORIES, CONVERSATION, LANGUAGES, OFFICE_KINDS
from storage.content import TranslationStatus

Province = Literal["AN", "AP", "FM", "MC", "PU"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9_]{2,64}$")]


def _url(value: str) -> str:
    HttpUrl(value)  # validates without changing the text people review
    return value


Url = Annotated[str, AfterValidator(_url)]


def _category(value: str) -> str:
    if value not in CATEGORIES:
        raise ValueError(f"unknown category {value!r}")
    return value


CategoryKey = Annotated[str, AfterValidator(_category)]


def _office_kind(value: str) -> str:
    if value not in OFFICE_KINDS:
        raise ValueError(f"unknown kind of office {value!r}: one of {', '.join(OFFICE_KINDS)}")
    return value


OfficeKind = Annotated[str, AfterValidator(_office_kind)]


def _not_after_today(value: date | None) -> date | None:
    """A source page cannot be dated after today: such a date is a typo (2062 for 2026)."""
    if value is not None and value > today():
        raise ValueError(f"{value} is after today: give the date the source page shows")
    return value


# The date the source page itself gives (a press release's, a page's "updated on"), if any.
SourceDate = Annotated[date | None, AfterValidator(_not_after_today)]


def _plain_number(value: Decimal) -> int | float:
    """Euro as people write them in YAML: 0, 25, 25.5 (not the string "25.50")."""
    return int(value) if value == value.to_integral_value() else float(value)


Euro = Annotated[
    Decimal,
    Field(ge=0, max_digits=8, decimal_places=2),
    PlainSerializer(_plain_number, when_used="json"),
]


def _only_keys(allowed: Iterable[str], what: str) -> AfterValidator:
    """A validator refusing dictionary keys outside `allowed`, naming them."""
    known = set(allowed)

    def check(value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown {what} {unknown}")
        return value

    return AfterValidator(check)


_languages = _only_keys(LANGUAGES, "language codes")


class Doc(BaseModel):
    """Strict: a misspelt key in a seed file is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


def _short(value: str) -> str:
    if not fits_first_message(value):
        raise ValueError(
            f"a short answer has at most {SHORT_WORDS} words on {SHORT_LINES} lines: "
            f"this one has {word_count(value)} words"
        )
    return value


DESK_NEED, DESK_DOCUMENTS = 300, 8  # characters of the sentence; things to bring


def _need(value: str) -> str:
    value = value.strip()
    if len(value) < 3:
        raise ValueError("a desk card needs what the person needs, in one sentence")
    return value


def _document(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("an empty document on a desk card")
    return value


class DeskDoc(Doc):
    """What the person says and shows at an office's desk, for "🇮🇹 Show at the office"."""

    # One sentence in the first person, as the person would say it to the clerk.
    need: Annotated[str, AfterValidator(_need), Field(max_length=DESK_NEED)]
    # What to bring: only what the FAQ's own answer says, a few words each.
    documents: list[Annotated[str, AfterValidator(_document), Field(max_length=120)]] = Field(
        default_factory=list, max_length=DESK_DOCUMENTS
    )

    @model_serializer(mode="wrap")
    def _without_empty_documents(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Nothing to bring, no key: an exported file reads as it was written."""
        data: dict[str, Any] = handler(self)
        if not self.documents:
            data.pop("documents", None)
        return data


class TranslationDoc(Doc):
    """One language of an FAQ; `reviewed_*` name the person who checked it (none in the seed)."""

    question: str = Field(min_length=3)
    # What the user sees first: what to do, where, what to bring; `answer` is the "More details".
    short: Annotated[str, AfterValidator(_short)] = ""
    answer: str = Field(min_length=3)
    examples: list[str] = Field(default_factory=list)
    # The card for the office's desk; the Italian one is what the clerk reads.
    desk: DeskDoc | None = None
    status: TranslationStatus = TranslationStatus.PUBLISHED
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None

    @model_serializer(mode="wrap")
    def _without_empty_review(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """No review, no keys: seed files stay as written, and a reload keeps a review; no desk
        text, no key either."""
        data: dict[str, Any] = handler(self)
        if self.reviewed_at is None and self.reviewed_by is None:
            data.pop("reviewed_by", None)
            data.pop("reviewed_at", None)
        if self.desk is None:
            data.pop("desk", None)
        return data


class FaqDoc(Doc):
    """An FAQ with all its languages."""

    slug: Slug
    category: CategoryKey
    source_url: Url
    source_date: SourceDate = None
    verified_on: date | None = None
    # The kinds of office that serve this question, most useful first; none: the category's.
    offices: list[OfficeKind] = Field(default_factory=list)
    translations: Annotated[dict[str, TranslationDoc], _languages]


LocalText = Annotated[dict[str, str], _languages]


class ServiceDoc(Doc):
    """An office or service."""

    slug: Slug
    name: str
    category: CategoryKey
    kind: OfficeKind | None = None
    province: Province | None
    comune: str | None
    address: str | None = None
    phone: str | None = None
    opening_hours: str | None = None
    website: Url | None = None
    languages: list[str] = Field(default_factory=lambda: ["it"])
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    coordinates_precision: Literal["comune", "address"] | None = None
    source_url: Url
    source_date: SourceDate = None
    verified_on: date | None = None
    description: LocalText = Field(default_factory=dict)


class CourseDoc(Doc):
    """An Italian course at one level."""

    slug: Slug
    provider: str
    service: Slug | None = None
    level: Literal["A1", "A2", "B1", "B2"]
    province: Province | None
    comune: str | None
    place: str | None = None
    schedule: str | None = None
    cost_eur: Euro | None = None  # 0: free of charge; None: not known
    enrolment: LocalText = Field(default_factory=dict)
    source_url: Url
    source_date: SourceDate = None
    verified_on: date | None = None


class EventText(Doc):
    """Title and text of an event in one language."""

    title: str
    text: str


class EventDoc(Doc):
    """An event; times carry their offset (Europe/Rome); a text without status is published."""

    slug: Slug
    translations: Annotated[dict[str, EventText], _languages]
    statuses: Annotated[dict[str, TextStatus], _languages] = Field(default_factory=dict)
    starts_at: datetime
    ends_at: datetime | None = None
    place: str | None = None
    province: Province | None = None
    organiser: str | None = None
    source_url: Url
    source_date: SourceDate = None
    verified_on: date | None = None

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give the UTC offset, e.g. 2026-12-01T10:00:00+01:00")
        return value


class IntentsDoc(Doc):
    """Examples of conversational and category intents: intent -> language -> examples."""

    conversation: Annotated[
        dict[str, Annotated[dict[str, list[str]], _languages]],
        _only_keys(CONVERSATION, "conversational intents"),
    ]
    categories: Annotated[
        dict[str, Annotated[dict[str, list[str]], _languages]],
        _only_keys(CATEGORIES, "categories"),
    ]
    # Service-like topics the content does not cover: more `out_of_scope` examples, by topic.
    uncovered: dict[Slug, Annotated[dict[str, list[str]], _languages]] = Field(
        default_factory=dict
    )
