"""What people asked about, from the analytics' counts alone (no text, no user): the offices of the
topics asked about most, which the weekly digest and the report put first."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.content import Service
from storage.users import MessageCount

# The weeks the digest and the report count questions over.
ASKED_DAYS = 28


@dataclass(frozen=True)
class Asked:
    """An office and how many questions its topic got."""

    office: Service
    questions: int


def questions(session: Session, since: date) -> Counter[str]:
    """Questions per topic (category key) since a day, answered or not."""
    query = (
        select(MessageCount.category, func.sum(MessageCount.count))
        .where(MessageCount.day >= since)
        .group_by(MessageCount.category)
    )
    return Counter({category: int(total) for category, total in session.execute(query)})


def asked_offices(session: Session, since: date) -> list[Asked]:
    """Offices of the topics people asked about since a day, the most asked first; an office
    counts its topic's questions (the analytics count topics, never who asked which office)."""
    counts = questions(session, since)
    offices = session.scalars(select(Service).where(Service.category_key.in_(list(counts))))
    asked = [Asked(office, counts[office.category_key]) for office in offices]
    return sorted(asked, key=lambda a: (-a.questions, a.office.slug))
