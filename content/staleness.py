"""Facts nobody checked for a while: which services and courses mediators should verify again.

One function, `stale_rows`, feeds both the weekly digest in the mediators' group and the admin
page, so both always list the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.content import Course, Service


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
