"""The coverage report: topic × province from the services, how many rows have each fact, and
the offices people asked about that have a web page at most."""

from __future__ import annotations

from datetime import date, timedelta

import yaml
from sqlalchemy.orm import Session, sessionmaker

from content.demand import ASKED_DAYS
from content.inbox import count_message
from content.loader import SEED_DIR
from content.report import (
    FACTS,
    LOCAL,
    LOCAL_HELP,
    NATIONAL,
    NONE,
    REACH,
    REGIONAL,
    coverage,
    text,
)
from shared.clock import today
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


def test_an_office_is_reachable_by_address_phone_or_hours_and_counted_dated_from_its_page(
    sessions: sessionmaker[Session],
) -> None:
    def office(slug: str, kind: str | None, province: str | None, **facts: object) -> Service:
        return Service(
            slug=slug,
            name=slug,
            category_key="social_services",
            kind=kind,
            province=province,
            source_url="https://www.example.gov.it/",
            **facts,
        )

    with sessions.begin() as session:
        session.add(Category(key="social_services", position=0))
        session.add_all(
            [
                office("caritas_pesaro", "caritas", "PU", phone="0721 33819"),
                office(
                    "cpi_ancona",
                    "job_centre",
                    "AN",
                    address="Via Trieste 22",
                    source_date=date(2026, 2, 2),
                ),
                office("cpi_fermo", "job_centre", "FM", source_date=date(2026, 1, 5)),
                office("cpi_macerata", "job_centre", "MC", website="https://x.it/"),
                office(
                    "emergency_1522", "emergency_line", None, phone="1522", opening_hours="24/7"
                ),
                office("hotel_house", None, "MC"),
            ]
        )
    with sessions() as session:
        reach = coverage(session).reach
    assert [(k.group, k.offices, k.facts, k.dated) for k in reach.kinds] == [
        ("emergency_line", 1, {"address": 0, "phone": 1, "opening_hours": 1}, 0),
        ("caritas", 1, {"address": 0, "phone": 1, "opening_hours": 0}, 0),
        ("job_centre", 3, {"address": 1, "phone": 0, "opening_hours": 0}, 1),
        ("(no kind)", 1, {"address": 0, "phone": 0, "opening_hours": 0}, 0),
    ]
    assert [(p.group, p.offices) for p in reach.provinces] == [
        ("AN", 1),
        ("FM", 1),
        ("MC", 2),
        ("PU", 1),
        (NATIONAL, 1),
    ]
    assert reach.dated == 1, "a dated page with nothing on it to reach the office does not count"
    assert reach.unreachable == {"FM": ["cpi_fermo"], "MC": ["cpi_macerata", "hotel_house"]}


def test_the_seed_report_shows_who_can_be_reached_and_who_has_a_web_page_at_most(
    seeded: sessionmaker[Session],
) -> None:
    rows = yaml.safe_load((SEED_DIR / "services.yaml").read_text(encoding="utf-8"))
    with seeded() as session:
        report = coverage(session)
    reach = report.reach
    assert sum(k.offices for k in reach.kinds) == len(rows)
    assert all(k.group != "(no kind)" for k in reach.kinds), "every seed office names its kind"
    for fact in REACH:
        assert sum(k.facts[fact] for k in reach.kinds) == sum(bool(r.get(fact)) for r in rows)
    reachable = [r for r in rows if any(r.get(fact) for fact in REACH)]
    assert reach.dated == sum(r.get("source_date") is not None for r in reachable) >= 2
    none = sorted(r["slug"] for r in rows if r not in reachable)
    assert sorted(s for slugs in reach.unreachable.values() for s in slugs) == none
    printed = text(report)
    assert f"from a dated official page: {reach.dated}" in printed
    assert f"a web page at most ({len(none)})" in printed
    assert "questura_ancona" in printed and "questura_pesaro_urbino" not in printed


def test_the_offices_people_asked_about_with_a_web_page_at_most_are_named_first(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        for position, key in enumerate(("residence_permit", "health", "work")):
            session.add(Category(key=key, position=position))
        for slug, category, phone in (
            ("questura_an", "residence_permit", None),
            ("questura_pu", "residence_permit", "0721 000"),
            ("asl_an", "health", None),
            ("cpi_an", "work", None),
        ):
            session.add(
                Service(
                    slug=slug,
                    name=slug,
                    category_key=category,
                    phone=phone,
                    source_url="https://www.example.gov.it/",
                )
            )
        for day, category, times in (
            (today(), "health", 1),
            (today() - timedelta(days=3), "residence_permit", 4),
            (today() - timedelta(days=ASKED_DAYS + 1), "work", 9),  # before the weeks counted
        ):
            for _ in range(times):
                count_message(session, day, "ur", category, "rasa", False)
    with sessions() as session:
        report = coverage(session)
    assert [(a.office.slug, a.questions) for a in report.reach.asked] == [
        ("questura_an", 4),
        ("asl_an", 1),
    ], "reachable by phone, or not asked about lately: not listed"
    printed = text(report).splitlines()
    heading = printed.index(
        f"Of those, offices people asked about in the last {ASKED_DAYS} days (questions on "
        "their topic) (2):"
    )
    assert printed[heading + 1] == "  questura_an (4), asl_an (1)"


def test_the_report_names_each_province_without_local_help_that_cannot_wait(
    seeded: sessionmaker[Session],
) -> None:
    rows = yaml.safe_load((SEED_DIR / "services.yaml").read_text(encoding="utf-8"))
    with seeded() as session:
        report = coverage(session)
    for province in PROVINCES:
        for kind in LOCAL_HELP:
            sourced = sorted(
                r["slug"] for r in rows if r.get("province") == province and r["kind"] == kind
            )
            assert report.reach.local_help[province][kind] == sourced
    printed = text(report)
    for province, kinds in report.reach.local_help.items():
        unsourced = [kind for kind, slugs in kinds.items() if not slugs]
        if unsourced:
            assert f"{province}: none sourced for {', '.join(unsourced)}" in printed
