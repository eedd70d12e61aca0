"""Facts nobody checked for a while: which services and courses mediators should verify again.

One function, `stale_rows`, feeds both the weekly digest in the mediators' group and the admin
page, so both always list the same rows; `stale_facts` adds to the digest the facts to check first,
those of the offices people ask about most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import facts
from content.demand import ASKED_DAYS, asked_offices
from shared.clock import ROME
from storage.content import Course, Service

MOST_ASKED = 10  # offices whose facts the digest lists, the most asked about first


@dataclass(frozen=True)
class StaleRow:
    """A service or course to check again: where it is edited and how long ago it was verified."""

    kind: str  # "services" or "courses", as in the admin tool's addresses
    id: int
    slug: str
    name: str
    verified_on: date | None
    age_days: int | None  # None: never verified by a person


def age_days(verified_on: date | None, today: date) -> int | None:
    """Days since a person verified the row; None when nobody ever did."""
    return None if verified_on is None else (today - verified_on).days


def is_stale(verified_on: date | None, today: date, stale_after_days: int) -> bool:
    """Never verified, or verified longer ago than the configured age."""
    age = age_days(verified_on, today)
    return age is None or age > stale_after_days


def stale_rows(session: Session, today: date, stale_after_days: int) -> list[StaleRow]:
    """Services and courses to verify again: never verified first, then the oldest."""
    rows = [
        StaleRow("services", s.id, s.slug, s.name, s.verified_on, age_days(s.verified_on, today))
        for s in session.scalars(select(Service))
        if is_stale(s.verified_on, today, stale_after_days)
    ]
    rows += [
        StaleRow(
            "courses",
            c.id,
            c.slug,
            f"{c.provider} ({c.level})",
            c.verified_on,
            age_days(c.verified_on, today),
        )
        for c in session.scalars(select(Course))
        if is_stale(c.verified_on, today, stale_after_days)
    ]
    return sorted(rows, key=lambda row: (row.age_days is not None, -(row.age_days or 0), row.slug))


@dataclass(frozen=True)
class StaleFact:
    """A fact an office shows that no person checked, or checked longest ago."""

    office: Service
    fact: str  # one of content.facts.FACTS
    checked_on: date | None  # None: never checked by a person
    questions: int  # the office's topic's questions in the last ASKED_DAYS days


def stale_facts(
    session: Session, today: date, stale_after_days: int, limit: int
) -> list[StaleFact]:
    """The facts due a check of the offices people asked about most: never checked first, then
    the oldest, each day's the most asked about first."""
    since = today - timedelta(days=ASKED_DAYS)
    found = []
    for asked in asked_offices(session, since)[:MOST_ASKED]:
        checks = facts.latest(asked.office)
        for fact in facts.FACTS:
            if not getattr(asked.office, fact):
                continue
            check = checks.get(fact)
            day = check.checked_at.astimezone(ROME).date() if check else None
            if is_stale(day, today, stale_after_days):
                found.append(StaleFact(asked.office, fact, day, asked.questions))
    found.sort(key=lambda f: (f.checked_on is not None, f.checked_on or today, -f.questions))
    return found[:limit]
