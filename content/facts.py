"""An office's facts one by one: which page states each, a person's check of each (right, or
wrong with the right value and its page), and the day the whole office was last checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shared.clock import ROME
from storage.content import FactCheck, Service

# What takes a person to an office, each checked on its own against an official page.
FACTS = ("address", "phone", "opening_hours", "website")


@dataclass(frozen=True)
class Source:
    """The page that states a fact and the date it gives (None: the page shows none)."""

    url: str
    date: date | None


def latest(row: Service) -> dict[str, FactCheck]:
    """The newest check of each fact a person checked."""
    return {check.fact: check for check in row.checks}  # oldest first, by id


def correction(row: Service, fact: str) -> FactCheck | None:
    """The person's right value of a fact, while the office still shows it (an edit through the
    form replaces it, and the office's own page is the source again)."""
    check = latest(row).get(fact)
    if check is None or check.right or check.value != getattr(row, fact):
        return None
    return check


def corrected(row: Service) -> dict[str, Source]:
    """The facts a person corrected, each with the page that states the right value."""
    return {
        fact: Source(check.source_url, check.source_date)
        for fact in FACTS
        if (check := correction(row, fact)) is not None
    }


def source(row: Service, fact: str) -> Source:
    """The page a fact comes from: a person's correction's, else the office's own."""
    return corrected(row).get(fact, Source(row.source_url, row.source_date))


def check(
    row: Service, fact: str, by: str, at: datetime, right_value: str | None, given: Source | None
) -> FactCheck:
    """Record that `by` checked a fact: right as shown (no `right_value`), or wrong, in which case
    the office shows `right_value` from now on, stated by `given`. Then the office counts as
    checked on the day its least recently checked fact was, once every fact it shows was."""
    page = given or source(row, fact)
    if right_value is not None:
        setattr(row, fact, right_value)
    made = FactCheck(
        fact=fact,
        right=right_value is None,
        value=getattr(row, fact),
        source_url=page.url,
        source_date=page.date,
        checked_by=by,
        checked_at=at,
    )
    row.checks.append(made)
    checked = latest(row)
    shown = [fact for fact in FACTS if getattr(row, fact)]
    if all(fact in checked for fact in shown):
        days = [checked[fact].checked_at.astimezone(ROME).date() for fact in shown]
        row.verified_on = min(days, default=at.astimezone(ROME).date())
    return made
