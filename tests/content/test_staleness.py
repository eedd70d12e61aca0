"""Which services and courses count as stale, and in which order mediators see them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session, sessionmaker

from content.staleness import StaleRow, is_stale, stale_rows
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
