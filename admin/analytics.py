"""Figures for the analytics page, all from anonymous rows: message counts, votes, deliveries."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.clock import ROME
from storage.subscriptions import Announcement, Delivery, DeliveryState
from storage.users import Feedback, MessageCount

SEARCH = "search"  # the engine that answers when Rasa cannot: the fallback


@dataclass
class Tally:
    """Questions, how many were answered directly, and how many by the search fallback."""

    questions: int = 0
    answered: int = 0
    fallback: int = 0

    def add(self, count: int, answered: bool, engine: str) -> None:
        """Count `count` questions of one route."""
        self.questions += count
        self.answered += count if answered else 0
        self.fallback += count if engine == SEARCH else 0

    def rate(self, part: int) -> float:
        """A share of the questions, 0 when there are none."""
        return part / self.questions if self.questions else 0.0


@dataclass
class Report:
    """Everything the page shows for a period (days in Europe/Rome time)."""

    since: date
    until: date
    total: Tally = field(default_factory=Tally)
    by_day: dict[date, dict[str, int]] = field(default_factory=dict)  # day -> language -> n
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_category: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    votes: dict[str, dict[bool, int]] = field(default_factory=dict)  # language -> helpful -> n
    # Delivery state -> copies, of the announcements due in the period.
    reach: dict[str, int] = field(default_factory=dict)

    def days(self) -> list[date]:
        """Every day of the period, the empty ones too, so gaps show."""
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]

    def votes_total(self, helpful: bool) -> int:
        """👍 (True) or 👎 (False) in all languages."""
        return sum(votes[helpful] for votes in self.votes.values())

    def busiest_day(self) -> int:
        """The highest daily count (the full width of a bar)."""
        return max((sum(d.values()) for d in self.by_day.values()), default=0)


def counts(session: Session, since: date, until: date) -> list[MessageCount]:
    """The counter rows of the period, oldest first."""
    return list(
        session.scalars(
            select(MessageCount)
            .where(MessageCount.day >= since, MessageCount.day <= until)
            .order_by(
                MessageCount.day,
                MessageCount.language,
                MessageCount.category,
                MessageCount.engine,
                MessageCount.answered,
            )
        )
    )


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), ROME).astimezone(UTC)


def report(session: Session, since: date, until: date) -> Report:
    """Sum the period's counters by day, language and category; votes and broadcast reach."""
    result = Report(since, until)
    grouped = (
        select(
            MessageCount.day,
            MessageCount.language,
            MessageCount.category,
            MessageCount.engine,
            MessageCount.answered,
            func.sum(MessageCount.count),
        )
        .where(MessageCount.day >= since, MessageCount.day <= until)
        .group_by(
            MessageCount.day,
            MessageCount.language,
            MessageCount.category,
            MessageCount.engine,
            MessageCount.answered,
        )
    )
    for day, language, category, engine, answered, count in session.execute(grouped):
        count = int(count)
        result.total.add(count, answered, engine)
        result.by_language[language].add(count, answered, engine)
        result.by_category[category].add(count, answered, engine)
        per_day = result.by_day.setdefault(day, {})
        per_day[language] = per_day.get(language, 0) + count
    votes = (
        select(Feedback.language, Feedback.helpful, func.count())
        .where(Feedback.created_at >= _start(since))
        .where(Feedback.created_at < _start(until + timedelta(days=1)))
        .group_by(Feedback.language, Feedback.helpful)
    )
    for language, helpful, count in session.execute(votes):
        result.votes.setdefault(language, {True: 0, False: 0})[bool(helpful)] = int(count)
    states = (
        select(Delivery.state, func.count())
        .join(Announcement, Announcement.id == Delivery.announcement_id)
        .where(Announcement.send_at >= _start(since))
        .where(Announcement.send_at < _start(until + timedelta(days=1)))
        .group_by(Delivery.state)
    )
    result.reach = {state.value: 0 for state in DeliveryState}
    for state, count in session.execute(states):
        result.reach[DeliveryState(state).value] = int(count)
    return result


CSV_HEADER = ["day", "language", "category", "engine", "answered", "questions"]


def to_csv(rows: list[MessageCount]) -> str:
    """The counter rows as CSV, one line per day, language, category, engine and outcome."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                row.day.isoformat(),
                row.language,
                row.category,
                row.engine,
                int(row.answered),
                row.count,
            ]
        )
    return out.getvalue()
