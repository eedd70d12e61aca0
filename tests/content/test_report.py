"""The coverage report: topic × province from the services, and how many rows have each fact."""

from __future__ import annotations

from datetime import date

import yaml
from sqlalchemy.orm import Session, sessionmaker

from content.loader import SEED_DIR
from content.report import FACTS, LOCAL, NONE, REGIONAL, coverage, text
from shared.vocabulary import OFFICE_CATEGORIES, PROVINCES
from storage.content import Category, Course, Service


def test_a_topic_is_local_where_it_has_an_office_else_regional_or_none(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        session.add_all(Category(key=key, position=n) for n, key in enumerate(OFFICE_CATEGORIES))
        session.add_all(
            [
                Service(
                    slug="questura_fermo",
                    name="Questura di Fermo",
                    category_key="residence_permit",
                    province="FM",
                    phone="0734 000000",
                    source_url="https://www.poliziadistato.it/",
                    source_date=date(2026, 3, 12),
                ),
                Service(
                    slug="erdis_marche",
                    name="ERDIS Marche",
                    category_key="education",
                    province=None,
                    website="https://www.erdis.it/",
                    source_url="https://www.erdis.it/",
                    verified_on=date(2026, 11, 20),
                ),
                Course(slug="cpia_a1", provider="CPIA", level="A1", source_url="https://x.it"),
            ]
        )
    with sessions() as session:
        report = coverage(session)
    assert list(report.matrix) == list(OFFICE_CATEGORIES)
    assert report.matrix["residence_permit"] == {
        p: LOCAL if p == "FM" else NONE for p in PROVINCES
    }
    assert set(report.matrix["education"].values()) == {REGIONAL}
    assert set(report.matrix["health"].values()) == {NONE}
    services, courses, events = report.counts
    assert (services.kind, services.rows) == ("services", 2)
    assert services.facts == {
        "address": 0,
        "phone": 1,
        "opening_hours": 0,
        "website": 1,
        "source_date": 1,
        "verified_on": 1,
    }
    assert (courses.rows, courses.facts["phone"], courses.facts["address"]) == (1, None, 0)
    assert (events.rows, events.facts["website"]) == (0, None)


def test_the_seed_has_an_office_for_every_topic_in_every_province(
    seeded: sessionmaker[Session],
) -> None:
    with seeded() as session:
        report = coverage(session)
    gaps = [
        (c, p) for c, cells in report.matrix.items() for p, cell in cells.items() if cell != LOCAL
    ]
    assert gaps == []
    rows = yaml.safe_load((SEED_DIR / "services.yaml").read_text(encoding="utf-8"))
    services = report.counts[0]
    assert services.rows == len(rows)
    assert services.facts == {
        fact: sum(row.get(fact) is not None for row in rows) for fact in FACTS
    }
    assert services.facts["verified_on"] == 0, "only a person verifies, never the seed"
    printed = text(report)
    assert all(category in printed for category in OFFICE_CATEGORIES)
    assert f"services  {len(rows):>4}" in printed
