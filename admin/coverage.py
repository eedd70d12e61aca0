"""The coverage page's figures: texts of each language in each status, reviewed or not, and the
events and announcements still to come with each language's status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.announcements import EDITABLE
from admin.faq_search import Row
from content import texts
from content.repository import not_over
from content.texts import SOURCE_LANGUAGE
from storage.content import Event
from storage.subscriptions import Announcement, AnnouncementKind


def counts(rows: Sequence[Row], languages: Sequence[str]) -> dict[str, Counter[str]]:
    """Status -> number of FAQs, per language."""
    return {language: Counter(row.statuses[language] for row in rows) for language in languages}


def reviews(rows: Sequence[Row], languages: Sequence[str]) -> dict[str, Counter[str]]:
    """ "yes" (a person reviewed the text) or "no" -> number of FAQs, per language with a text."""
    return {
        language: Counter(
            "yes" if row.reviewed[language] else "no" for row in rows if language in row.reviewed
        )
        for language in languages
    }


@dataclass(frozen=True)
class TextRow:
    """An event or announcement as the coverage page lists it: what it says, where it is edited
    (the language code goes last) and the status of each language."""

    name: str
    url: str
    statuses: dict[str, str]


def events(session: Session, languages: Sequence[str], now: datetime) -> list[TextRow]:
    """Events not over yet, soonest first, named by their Italian title (else the slug)."""
    query = select(Event).where(not_over(now)).order_by(Event.starts_at)
    return [
        TextRow(
            event.translations.get(SOURCE_LANGUAGE, {}).get("title") or event.slug,
            f"/events/{event.id}?lang=",
            texts.of_event(event, languages),
        )
        for event in session.scalars(query)
    ]


def announcements(session: Session, languages: Sequence[str]) -> list[TextRow]:
    """Editors' announcements that can still change, newest first, by their first text."""
    query = select(Announcement).where(
        Announcement.kind == AnnouncementKind.ANNOUNCEMENT, Announcement.status.in_(EDITABLE)
    )
    return [
        TextRow(
            next(iter(row.texts.values()), f"#{row.id}"),
            f"/announcements/{row.id}?lang=",
            texts.of_announcement(row, languages),
        )
        for row in session.scalars(query.order_by(Announcement.id.desc()))
    ]
