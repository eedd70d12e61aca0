"""What the content covers: which topics have an office in each province, how many rows have each
fact, and which offices a person can reach, so mediators see what to check first (`primm content
report`, the stale-facts page)."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content.demand import ASKED_DAYS, Asked, asked_offices
from shared.clock import today
from shared.vocabulary import OFFICE_CATEGORIES, OFFICE_KINDS, PROVINCES
from storage.content import Course, Event, Service

LOCAL, REGIONAL, NONE = "local", "regional", "none"
# What takes a person to an office; a website alone does not.
REACH = ("address", "phone", "opening_hours")
NO_KIND, NATIONAL = "(no kind)", "regional or national"
# Help that cannot wait for a regional office: violence at home, a night without a roof.
LOCAL_HELP = ("anti_violence_centre", "shelter")
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
class KindReach:
    """Offices of one kind (or province): how many have each way to reach them, how many dated."""

    group: str
    offices: int
    facts: dict[str, int]
    dated: int  # with an address, phone or hours and the date of the page that states them


@dataclass(frozen=True)
class Reach:
    """Which offices a person can reach, per kind and province, and which only have a web page."""

    kinds: list[KindReach]
    provinces: list[KindReach]
    dated: int
    unreachable: dict[str, list[str]]  # province (or NATIONAL) -> slugs
    # Of those, the offices of topics people asked about lately, the most asked about first.
    asked: list[Asked]
    # Province -> kind of local help -> its offices there (empty: none sourced yet).
    local_help: dict[str, dict[str, list[str]]]


@dataclass(frozen=True)
class Coverage:
    """Topic × province (local, regional or none), fact counts per kind of row, offices' reach."""

    matrix: dict[str, dict[str, str]]
    counts: list[FactCounts]
    reach: Reach


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


def _group(name: str, rows: list[Any]) -> KindReach:
    """The reach counts of some offices."""
    reachable = [r for r in rows if any(getattr(r, fact) for fact in REACH)]
    return KindReach(
        name,
        len(rows),
        {fact: sum(bool(getattr(r, fact)) for r in rows) for fact in REACH},
        sum(r.source_date is not None for r in reachable),
    )


def _reach(session: Session) -> Reach:
    """One query for the offices; grouped here, in the vocabulary's order."""
    columns = (Service.slug, Service.kind, Service.province, Service.source_date)
    rows = session.execute(
        select(*columns, *(getattr(Service, fact) for fact in REACH)).order_by(Service.slug)
    ).all()
    by_kind: dict[str, list[Any]] = defaultdict(list)
    by_province: dict[str, list[Any]] = defaultdict(list)
    unreachable: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind or NO_KIND].append(row)
        by_province[row.province or NATIONAL].append(row)
        if not any(getattr(row, fact) for fact in REACH):
            unreachable[row.province or NATIONAL].append(row.slug)
    kinds = [_group(k, by_kind[k]) for k in (*OFFICE_KINDS, NO_KIND) if k in by_kind]
    provinces = [p for p in (*PROVINCES, NATIONAL) if p in by_province]
    unreached = {slug for slugs in unreachable.values() for slug in slugs}
    asked = asked_offices(session, today() - timedelta(days=ASKED_DAYS))
    return Reach(
        kinds,
        [_group(p, by_province[p]) for p in provinces],
        sum(group.dated for group in kinds),
        {p: unreachable[p] for p in provinces if p in unreachable},
        [a for a in asked if a.office.slug in unreached],
        {
            province: {
                kind: [r.slug for r in by_province[province] if r.kind == kind]
                for kind in LOCAL_HELP
            }
            for province in PROVINCES
        },
    )


def coverage(session: Session) -> Coverage:
    """The whole report, read in a few queries."""
    return Coverage(
        _matrix(session), [_counts(session, kind) for kind in COLUMNS], _reach(session)
    )


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


def _reach_text(reach: Reach) -> list[str]:
    """The reach tables, the dated count and the offices with no way to reach them."""

    def rows(groups: list[KindReach], first: str) -> list[str]:
        table = [[first, "offices", *REACH, "dated"]]
        table += [
            [g.group, str(g.offices), *(str(g.facts[f]) for f in REACH), str(g.dated)]
            for g in groups
        ]
        return _table(table, numbers=True)

    unreachable = [
        line
        for place, slugs in reach.unreachable.items()
        for line in textwrap.wrap(
            f"{place} ({len(slugs)}): " + ", ".join(slugs), width=99, subsequent_indent="  "
        )
    ]
    missing = [
        f"  {province}: none sourced for {', '.join(k for k, s in kinds.items() if not s)}"
        for province, kinds in reach.local_help.items()
        if not all(kinds.values())
    ]
    local = [
        f"  {province} {kind}: {', '.join(slugs)}"
        for province, kinds in reach.local_help.items()
        for kind, slugs in kinds.items()
        if slugs
    ]
    return [
        "Ways to reach an office: an address, a phone, opening hours",
        "dated: with one of them and the date of the official page that states it",
        "",
        *rows(reach.kinds, "kind"),
        "",
        *rows(reach.provinces, "province"),
        "",
        f"Offices with an address, phone or hours from a dated official page: {reach.dated}",
        "",
        f"Offices with no address, phone or hours, a web page at most "
        f"({sum(len(s) for s in reach.unreachable.values())}):",
        *unreachable,
        "",
        f"Of those, offices people asked about in the last {ASKED_DAYS} days (questions on "
        f"their topic) ({len(reach.asked)}):",
        *textwrap.wrap(
            ", ".join(f"{a.office.slug} ({a.questions})" for a in reach.asked) or "none",
            width=99,
            initial_indent="  ",
            subsequent_indent="  ",
        ),
        "",
        f"Local help that cannot wait ({', '.join(LOCAL_HELP)}) in each province:",
        *local,
        *missing,
        "  where none is sourced, the province's social services and the national numbers "
        "(1522, 112) remain",
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
            "",
            *_reach_text(report.reach),
        ]
    )
