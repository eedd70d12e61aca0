"""Seed loading is idempotent, versions edits, keeps verification dates and a person's corrected
facts, refuses facts without their page, and round-trips."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from content import facts
from content.export import export_seed
from content.facts import Source
from content.loader import SEED_DIR, SeedError, load_seed
from content.repository import latest_translations
from content.schema import CourseDoc, IntentsDoc, ServiceDoc
from storage.content import (
    Course,
    Event,
    Faq,
    FaqTranslation,
    IntentExamples,
    SearchEntry,
    Service,
)

COUNTED = (Faq, FaqTranslation, IntentExamples, Service, Course, SearchEntry)
NO_EVENT_FACTS = dict.fromkeys(
    ("ends_at", "place", "province", "organiser", "source_date", "verified_on")
)


def counts(session: Session) -> dict[str, int]:
    return {
        m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0 for m in COUNTED
    }


def read(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def copy_seed(tmp_path: Path) -> Path:
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target)
    return target


def test_loading_twice_changes_nothing(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        first = load_seed(session)
    with sessions() as session:
        before = counts(session)
    with sessions.begin() as session:
        second = load_seed(session)
    with sessions() as session:
        assert counts(session) == before
    assert first.counts["faqs"]["created"] == before["faqs"]
    assert set(second.counts["faqs"]) == {"unchanged"}
    assert "faq_translations" not in second.counts


def test_edited_answer_becomes_a_new_version(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    seed = copy_seed(tmp_path)
    with sessions.begin() as session:
        load_seed(session, seed)
    path = next((seed / "faqs").glob("*.yaml"))
    faqs = yaml.safe_load(path.read_text(encoding="utf-8"))
    slug = faqs[0]["slug"]
    old_answer = faqs[0]["translations"]["ar"]["answer"]
    faqs[0]["translations"]["ar"]["answer"] = old_answer + "\n\nنص جديد"
    path.write_text(yaml.safe_dump(faqs, allow_unicode=True), encoding="utf-8")
    with sessions.begin() as session:
        report = load_seed(session, seed)
    assert report.counts["faq_translations"] == {"versioned": 1}
    with sessions() as session:
        faq = session.scalar(select(Faq).where(Faq.slug == slug))
        assert faq is not None
        arabic = [t for t in faq.translations if t.language == "ar"]
        assert [t.version for t in arabic] == [1, 2]
        assert arabic[0].answer == old_answer
        assert latest_translations(faq)["ar"].answer.endswith("نص جديد")


def test_a_persons_verification_date_survives_a_reload(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        load_seed(session)
        service = session.scalars(select(Service)).first()
        assert service is not None and service.verified_on is None
        slug = service.slug
        service.verified_on = date(2026, 11, 20)
    with sessions.begin() as session:
        load_seed(session)
    with sessions() as session:
        reloaded = session.scalar(select(Service).where(Service.slug == slug))
        assert reloaded is not None
        assert str(reloaded.verified_on) == "2026-11-20"


def test_export_then_load_round_trips(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    with sessions.begin() as session:
        load_seed(session)
    exported = tmp_path / "exported"
    with sessions() as session:
        export_seed(session, exported)
    for name, schema in (
        ("intents.yaml", IntentsDoc),
        ("services.yaml", list[ServiceDoc]),
        ("courses.yaml", list[CourseDoc]),
    ):
        adapter: TypeAdapter[object] = TypeAdapter(schema)
        assert adapter.validate_python(read(exported / name)) == adapter.validate_python(
            read(SEED_DIR / name)
        )
    original = {
        f["slug"]: f
        for p in (SEED_DIR / "faqs").glob("*.yaml")
        for f in yaml.safe_load(p.read_text(encoding="utf-8"))
    }
    again = {
        f["slug"]: f
        for p in (exported / "faqs").glob("*.yaml")
        for f in yaml.safe_load(p.read_text(encoding="utf-8"))
    }
    assert again.keys() == original.keys()
    for slug, faq in original.items():
        for language, text in faq["translations"].items():
            assert again[slug]["translations"][language]["answer"] == text["answer"]
            assert again[slug]["translations"][language]["examples"] == text["examples"]
            assert again[slug]["translations"][language].get("desk") == text.get("desk")
    with sessions.begin() as session:
        report = load_seed(session, exported)
    assert set(report.counts["faqs"]) == {"unchanged"}
    assert set(report.counts["services"]) == {"unchanged"}
    assert "faq_translations" not in report.counts


def test_a_misspelt_key_names_the_file(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    seed = copy_seed(tmp_path)
    path = seed / "services.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows[0]["phon"] = "000"
    path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    with sessions.begin() as session, pytest.raises(SeedError, match=r"(?s)services\.yaml.*phon"):
        load_seed(session, seed)


def rewrite_faq(seed: Path, slug: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Change one FAQ of a copied seed in place."""
    for path in (seed / "faqs").glob("*.yaml"):
        faqs = yaml.safe_load(path.read_text(encoding="utf-8"))
        for faq in faqs:
            if faq["slug"] == slug:
                change(faq)
                path.write_text(yaml.safe_dump(faqs, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("need", ["", "   ", "ok"])
def test_a_desk_card_without_what_the_person_needs_is_refused(
    sessions: sessionmaker[Session], tmp_path: Path, need: str
) -> None:
    seed = copy_seed(tmp_path)
    rewrite_faq(
        seed,
        "permit_renewal",
        lambda faq: faq["translations"]["ur"].update(desk={"need": need, "documents": ["x"]}),
    )
    with (
        sessions.begin() as session,
        pytest.raises(SeedError, match=r"(?s)residence_permit\.yaml.*ur\.desk\.need"),
    ):
        load_seed(session, seed)


def test_a_desk_card_taken_out_of_the_file_is_taken_out_of_a_new_version(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    seed = copy_seed(tmp_path)
    with sessions.begin() as session:
        load_seed(session, seed)
    rewrite_faq(seed, "permit_renewal", lambda faq: faq["translations"]["it"].pop("desk"))
    with sessions.begin() as session:
        report = load_seed(session, seed)
    assert report.counts["faq_translations"] == {"versioned": 1}
    with sessions() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == "permit_renewal")).one()
        old, new = sorted((t for t in faq.translations if t.language == "it"), key=version)
        assert (
            old.desk is not None and old.desk["need"] == "Devo rinnovare il permesso di soggiorno."
        )
        assert new.desk is None


def version(text: FaqTranslation) -> int:
    return text.version


def write_services(seed: Path, first: dict[str, object]) -> dict[str, date | None]:
    """The seed's services with the first row changed; each row's source date by slug."""
    path = seed / "services.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows[0].update(first)
    path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    return {row["slug"]: row.get("source_date") for row in rows}


def test_a_source_date_is_loaded_and_exported_and_rows_without_one_have_none(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    seed = copy_seed(tmp_path)
    in_file = write_services(seed, {"source_date": date(2026, 3, 12)})
    assert None in in_file.values(), "rows without a source date"
    with sessions.begin() as session:
        load_seed(session, seed)
    exported = tmp_path / "exported"
    with sessions() as session:
        loaded = session.scalars(select(Service)).all()
        assert {s.slug: s.source_date for s in loaded} == in_file
        assert all(s.verified_on is None for s in loaded), "a source date is no verification"
        export_seed(session, exported)
    rows = yaml.safe_load((exported / "services.yaml").read_text(encoding="utf-8"))
    assert {row["slug"]: row["source_date"] for row in rows} == {
        slug: value and value.isoformat() for slug, value in in_file.items()
    }
    with sessions.begin() as session:
        assert set(load_seed(session, exported).counts["services"]) == {"unchanged"}


@pytest.mark.parametrize(
    ("value", "says"),
    [("12 March 2026", "valid date"), ("2026-02-30", "valid date"), (date(2062, 3, 12), "today")],
)
def test_a_bad_source_date_names_the_file_and_the_field(
    sessions: sessionmaker[Session], tmp_path: Path, value: object, says: str
) -> None:
    seed = copy_seed(tmp_path)
    write_services(seed, {"source_date": value})
    pattern = rf"(?s)services\.yaml.*source_date.*{says}"
    with sessions.begin() as session, pytest.raises(SeedError, match=pattern):
        load_seed(session, seed)


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ({"source_url": None}, "string"),
        ({"source_url": "Questura, 2026"}, "URL"),
        ({"source_url": "javascript:alert(1)"}, "URL"),
        ({"source_url": "ftp://www.comune.ancona.it/servizi"}, "URL"),
        ({}, "required"),
    ],
)
def test_a_fact_without_the_page_that_states_it_is_refused(
    sessions: sessionmaker[Session], tmp_path: Path, source: dict[str, object], says: str
) -> None:
    seed = copy_seed(tmp_path)
    path = seed / "services.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    del rows[0]["source_url"]
    rows[0].update({"address": "Via Esempio 1", **source})
    path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    pattern = rf"(?s)services\.yaml.*source_url.*{says}"
    with sessions.begin() as session, pytest.raises(SeedError, match=pattern):
        load_seed(session, seed)
    with sessions() as session:
        assert session.scalars(select(Service)).first() is None, "nothing loaded"


def test_a_fact_a_person_corrected_survives_a_reload(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        load_seed(session)
        office = session.scalar(select(Service).where(Service.slug == "questura_pesaro_urbino"))
        assert office is not None and office.phone
        seed_phone = office.phone
        page = Source("https://www.example.gov.it/contatti", date(2026, 11, 30))
        facts.check(office, "phone", "mediator", datetime.now(UTC), "+39 0721 000000", page)
    with sessions.begin() as session:
        report = load_seed(session)
    assert report.counts["services"]["updated"] == 0
    with sessions() as session:
        office = session.scalar(select(Service).where(Service.slug == "questura_pesaro_urbino"))
        assert office is not None
        assert (office.phone, facts.source(office, "phone")) == ("+39 0721 000000", page)
        assert office.address is not None and facts.source(office, "address").url != page.url
    assert seed_phone != "+39 0721 000000"


def test_a_persons_review_survives_a_reload_and_an_export(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions.begin() as session:
        load_seed(session)
        assert (
            session.scalar(select(func.count()).where(FaqTranslation.reviewed_at.is_not(None)))
            == 0
        )
        faq = session.scalars(select(Faq).where(Faq.slug == "permit_renewal")).one()
        text = latest_translations(faq)["bn"]
        text.reviewed_by, text.reviewed_at = "amina", datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    with sessions.begin() as session:
        report = load_seed(session)
    assert "faq_translations" not in report.counts
    exported = tmp_path / "exported"
    with sessions() as session:
        export_seed(session, exported)
    written = yaml.safe_load((exported / "faqs" / "residence_permit.yaml").read_text("utf-8"))
    renewal = next(f for f in written if f["slug"] == "permit_renewal")["translations"]
    assert renewal["bn"]["reviewed_by"] == "amina" and "reviewed_by" not in renewal["it"]
    with sessions.begin() as session:
        assert "faq_translations" not in load_seed(session, exported).counts
    with sessions() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == "permit_renewal")).one()
        kept = latest_translations(faq)["bn"]
        assert (kept.version, kept.reviewed_by) == (1, "amina")
        assert kept.reviewed_at == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_event_texts_keep_their_statuses_through_load_and_export(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    seed = copy_seed(tmp_path)
    event = {
        "slug": "festa_popoli",
        "translations": {
            "it": {"title": "Festa dei popoli", "text": "Musica."},
            "ar": {"title": "مهرجان الشعوب", "text": "موسيقى."},
        },
        "statuses": {"ar": "draft"},
        "starts_at": "2026-12-05T18:30:00+01:00",
        "source_url": "https://example.org/festa",
    }
    (seed / "events.yaml").write_text(yaml.safe_dump([event], allow_unicode=True), "utf-8")
    with sessions.begin() as session:
        load_seed(session, seed)
    with sessions() as session:
        row = session.scalars(select(Event)).one()
        assert row.statuses == {"ar": "draft"}, "no status: the Italian is published"
    exported = tmp_path / "exported"
    with sessions() as session:
        export_seed(session, exported)
    assert read(exported / "events.yaml") == [
        {**event, "starts_at": "2026-12-05T17:30:00Z", **NO_EVENT_FACTS}
    ]
    with sessions.begin() as session:
        assert set(load_seed(session, exported).counts["events"]) == {"unchanged"}
    (seed / "events.yaml").write_text(
        yaml.safe_dump([{**event, "statuses": {"ar": "missing"}}], allow_unicode=True), "utf-8"
    )
    with sessions.begin() as session, pytest.raises(SeedError, match="statuses"):
        load_seed(session, seed)
