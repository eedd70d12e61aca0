"""Which services, courses and facts count as stale, and in which order mediators see them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content import facts
from content.inbox import count_message
from content.staleness import StaleRow, is_stale, stale_facts, stale_rows
from storage.content import Category, Course, Service

TODAY = date(2026, 11, 25)


def add_rows(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Services verified at various ages and a course nobody verified; their ids by slug."""
    ages = {"fresh": 10, "edge": 180, "old": 181, "older": 400, "never": None}
    with sessions.begin() as session:
        session.add(Category(key="health", position=1))
        rows: list[Service | Course] = [
            Service(
                slug=slug,
                name=f"Ufficio {slug}",
                category_key="health",
                source_url="https://example.org",
                verified_on=None if age is None else TODAY - timedelta(days=age),
            )
            for slug, age in ages.items()
        ]
        rows.append(
            Course(slug="cpia_a1", provider="CPIA Ancona", level="A1", source_url="https://x.org")
        )
        session.add_all(rows)
        session.flush()
        return {row.slug: row.id for row in rows}


def test_stale_rows_never_verified_first_then_oldest(sessions: sessionmaker[Session]) -> None:
    ids = add_rows(sessions)
    with sessions() as session:
        rows = stale_rows(session, TODAY, 180)
    assert rows == [
        StaleRow("courses", ids["cpia_a1"], "cpia_a1", "CPIA Ancona (A1)", None, None),
        StaleRow("services", ids["never"], "never", "Ufficio never", None, None),
        StaleRow(
            "services", ids["older"], "older", "Ufficio older", TODAY - timedelta(days=400), 400
        ),
        StaleRow("services", ids["old"], "old", "Ufficio old", TODAY - timedelta(days=181), 181),
    ]
    with sessions() as session:
        assert [row.slug for row in stale_rows(session, TODAY, 9)][-1] == "fresh"


def test_the_configured_age_is_the_limit() -> None:
    assert is_stale(None, TODAY, 180)
    assert not is_stale(TODAY - timedelta(days=180), TODAY, 180)
    assert is_stale(TODAY - timedelta(days=181), TODAY, 180)


def test_the_facts_to_check_first_are_those_of_the_offices_asked_about_most(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        for position, key in enumerate(("health", "housing", "work")):
            session.add(Category(key=key, position=position))
        for slug, category, phone in (
            ("asl", "health", "071 1"),
            ("casa", "housing", "071 2"),
            ("lavoro", "work", "071 3"),
        ):
            session.add(
                Service(
                    slug=slug,
                    name=slug,
                    category_key=category,
                    address=f"Via {slug} 1",
                    phone=phone,
                    source_url="https://example.org",
                )
            )
        for day, category, times in (
            (TODAY, "housing", 3),
            (TODAY - timedelta(days=2), "health", 2),
            (TODAY - timedelta(days=40), "work", 9),  # too long ago to count
        ):
            for _ in range(times):
                count_message(session, day, "it", category, "rasa", True)
        casa = session.scalar(select(Service).where(Service.slug == "casa"))
        assert casa is not None
        checked = datetime(2026, 5, 1, 9, tzinfo=UTC)
        facts.check(casa, "address", "mediator", checked, None, None)
        facts.check(casa, "phone", "mediator", datetime(2026, 11, 20, 9, tzinfo=UTC), None, None)
    with sessions() as session:
        found = stale_facts(session, TODAY, 180, 10)
        assert [(f.office.slug, f.fact, f.checked_on, f.questions) for f in found] == [
            ("asl", "address", None, 2),
            ("asl", "phone", None, 2),
            ("casa", "address", date(2026, 5, 1), 3),
        ]
