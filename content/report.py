"""What the content covers: which topics have an office in each province, and how many rows have
each fact, so mediators see what to check first (`primm content report`, the stale-facts page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.vocabulary import OFFICE_CATEGORIES, PROVINCES
from storage.content import Course, Event, Service

LOCAL, REGIONAL, NONE = "local", "regional", "none"
FACTS = ("address", "phone", "opening_hours", "website", "source_date", "verified_on")
# Where each kind keeps a fact: a course's place is its address and its schedule its hours; a
# kind without the fact has no column (shown as "-").
COLUMNS: dict[str, tuple[Any, dict[str, Any]]] = {
    "services": (Service, {fact: getattr(Service, fact) for fact in FACTS}),
    "courses": (
        Course,
        {
            "address": Course.place,
            "opening_hours": Course.schedule,
            "source_date": Course.source_date,
            "verified_on": Course.verified_on,
        },
    ),
    "events": (
        Event,
        {
            "address": Event.place,
            "source_date": Event.source_date,
            "verified_on": Event.verified_on,
        },
    ),
}


@dataclass(frozen=True)
class FactCounts:
    """How many rows of one kind there are and how many have each fact (None: no such fact)."""

    kind: str
    rows: int
    facts: dict[str, int | None]


@dataclass(frozen=True)
class Coverage:
    """Topic × province (local, regional or none) and the fact counts of each kind of row."""

    matrix: dict[str, dict[str, str]]
    counts: list[FactCounts]


def _matrix(session: Session) -> dict[str, dict[str, str]]:
    """Local: a service of the topic in the province; regional: only ones with no province."""
    query = select(Service.category_key, Service.province).distinct()
    found = {(category, province) for category, province in session.execute(query)}

    def cell(category: str, province: str) -> str:
        if (category, province) in found:
            return LOCAL
        return REGIONAL if (category, None) in found else NONE

    return {c: {p: cell(c, p) for p in PROVINCES} for c in OFFICE_CATEGORIES}


def _counts(session: Session, kind: str) -> FactCounts:
    """One query: the rows of a kind and, per fact, those where it is filled in."""
    model, columns = COLUMNS[kind]
    names = list(columns)
    row = session.execute(
        select(func.count(), *(func.count(columns[name]) for name in names)).select_from(model)
    ).one()
    have = dict(zip(names, row[1:], strict=True))
    return FactCounts(kind, row[0], {fact: have.get(fact) for fact in FACTS})


def coverage(session: Session) -> Coverage:
    """The whole report, read in a few queries."""
    return Coverage(_matrix(session), [_counts(session, kind) for kind in COLUMNS])


def _table(rows: list[list[str]], numbers: bool) -> list[str]:
    """Rows as aligned columns: the first to the left, the others right-aligned if numbers."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.rjust(width) if numbers and i else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def text(report: Coverage) -> str:
    """The report as plain-text tables, as `primm content report` prints it."""
    matrix = [["topic", *PROVINCES]]
    matrix += [[category, *cells.values()] for category, cells in report.matrix.items()]
    counts = [["kind", "rows", *FACTS]]
    counts += [
        [c.kind, str(c.rows), *("-" if n is None else str(n) for n in c.facts.values())]
        for c in report.counts
    ]
    return "\n".join(
        [
            "Offices per topic and province",
            "local: an office in the province; regional: only regional or national services; "
            "none: nothing",
            "",
            *_table(matrix, numbers=False),
            "",
            "Rows with each fact",
            "-: the kind has no such fact; a course's place counts as its address, its schedule "
            "as its hours",
            "",
            *_table(counts, numbers=True),
        ]
    )
