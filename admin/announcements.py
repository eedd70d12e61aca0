"""Announcements as editors write them: the form's values, scheduling, cancelling, the report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from limits import RateLimitItemPerHour
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from admin.i18n import N_
from content.texts import STATUSES, touch
from shared.clock import ROME
from shared.vocabulary import PROVINCES
from storage.content import Event, TranslationStatus
from storage.subscriptions import Announcement, AnnouncementStatus, Delivery, DeliveryState, Topic

EDITABLE = (AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED)
NO_PUBLISHED = N_("Publish the text of at least one language before sending.")
NO_TOPIC = N_("Choose at least one topic.")
BAD_TIME = N_("Give a time in the future (Europe/Rome), or send now.")


class TestLimit:
    """Tests per account in a moving hour, so no one makes the bot write at length to a chat."""

    def __init__(self, per_hour: int) -> None:
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.item = RateLimitItemPerHour(per_hour)

    def take(self, account_id: int) -> bool:
        """Count one test of the account; False when its hour is full (nothing counted)."""
        return self.limiter.hit(self.item, "test", str(account_id))


@dataclass(frozen=True)
class Draft:
    """What the form sends: texts and their statuses, audience, fallback, event."""

    texts: dict[str, str]
    statuses: dict[str, str]
    provinces: list[str]
    languages: list[str]
    topics: list[str]
    fallback_language: str | None
    event_id: int | None


def read_form(
    form: Any, languages: list[str], session: Session, kept: Announcement | None = None
) -> Draft:
    """The form's values, unknown choices dropped; languages the form did not send are kept.

    The editor sends one language's text at a time (its tab): a blank one removes that text.
    """
    texts = dict(kept.texts) if kept else {}
    statuses = dict(kept.statuses) if kept else {}
    for lang in (lang for lang in languages if f"text_{lang}" in form):
        texts[lang] = str(form.get(f"text_{lang}", "")).strip()
        status = str(form.get(f"status_{lang}", TranslationStatus.DRAFT.value))
        statuses[lang] = status if status in STATUSES else TranslationStatus.DRAFT.value
        if not texts[lang]:
            del texts[lang], statuses[lang]
    fallback = str(form.get("fallback", ""))
    event = str(form.get("event", ""))
    linked = session.get(Event, int(event)) if event.isdigit() else None
    return Draft(
        texts=texts,
        statuses=statuses,
        provinces=[p for p in form.getlist("provinces") if p in PROVINCES],
        languages=[lang for lang in form.getlist("languages") if lang in languages],
        topics=[t for t in form.getlist("topics") if t in {topic.value for topic in Topic}],
        fallback_language=fallback if fallback in languages else None,
        event_id=linked.id if linked else None,
    )


def apply(announcement: Announcement, draft: Draft) -> None:
    """Copy the form's values onto the row, noting which languages' texts it wrote."""
    announcement.text_changed_at = touch(
        announcement.text_changed_at or {},
        announcement.texts or {},
        draft.texts,
        datetime.now(UTC),
    )
    announcement.texts = draft.texts
    announcement.statuses = draft.statuses
    announcement.provinces = draft.provinces
    announcement.languages = draft.languages
    announcement.topics = draft.topics
    announcement.fallback_language = draft.fallback_language
    announcement.event_id = draft.event_id


def local_input(value: datetime | None) -> str:
    """A stored time as a `datetime-local` input shows it (Europe/Rome)."""
    return value.astimezone(ROME).strftime("%Y-%m-%dT%H:%M") if value else ""


def parse_local(text: str) -> datetime | None:
    """A `datetime-local` value read as Europe/Rome time."""
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=ROME)
    except ValueError:
        return None


def schedule_problem(announcement: Announcement, published: dict[str, str]) -> str | None:
    """Why the announcement cannot be scheduled yet, or None."""
    if not published:
        return NO_PUBLISHED
    if not announcement.topics:
        return NO_TOPIC
    return None


def cancel(session: Session, announcement_id: int) -> bool:
    """Cancel if no copy went out yet; one statement, so the sender cannot start in between."""
    result = session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.status.in_(EDITABLE))
        .values(status=AnnouncementStatus.CANCELLED)
    )
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class Report:
    """Delivery states in all, by language and by province (None: whole region)."""

    total: dict[str, int]
    by_language: dict[str, dict[str, int]]
    by_province: dict[str, dict[str, int]]

    @property
    def rows(self) -> int:
        """How many recipients there are."""
        return sum(self.total.values())

    @property
    def done(self) -> int:
        """How many are no longer pending."""
        return self.rows - self.total[DeliveryState.PENDING.value]


STATES = [state.value for state in DeliveryState]
NO_AREA = "–"


def report(session: Session, announcement_id: int) -> Report:
    """Counts of the delivery rows, the same rows the sender moves."""
    rows = session.execute(
        select(Delivery.state, Delivery.language, Delivery.province, func.count())
        .where(Delivery.announcement_id == announcement_id)
        .group_by(Delivery.state, Delivery.language, Delivery.province)
    )
    total = dict.fromkeys(STATES, 0)
    by_language: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATES, 0))
    by_province: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATES, 0))
    for state, language, province, number in rows:
        key = DeliveryState(state).value
        total[key] += number
        by_language[language][key] += number
        by_province[province or NO_AREA][key] += number
    return Report(total, dict(sorted(by_language.items())), dict(sorted(by_province.items())))


def upcoming_events(session: Session) -> list[Event]:
    """Events an announcement may link to: those not started yet."""
    now = datetime.now(UTC)
    query = select(Event).where(Event.starts_at >= now).order_by(Event.starts_at)
    return list(session.scalars(query))
