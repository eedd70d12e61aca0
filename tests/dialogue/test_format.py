"""Content rows as the user reads them: dates in their locale and in Italian time, always a way
to reach an office, and where a fact comes from."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogue import format as fmt
from storage.content import Course, Event, Service


def event(statuses: dict[str, str] | None = None) -> Event:
    return Event(
        slug="festa_intercultura",
        translations={
            "en": {"title": "Intercultural party", "text": "Music and food."},
            "ar": {"title": "حفلة بين الثقافات", "text": "موسيقى وطعام."},
        },
        statuses=statuses or {"ar": "draft"},
        starts_at=datetime(2026, 12, 3, 17, 30, tzinfo=UTC),
        place="Piazza Cavour",
        province="AN",
        source_url="https://www.regione.marche.it",
    )


@pytest.mark.parametrize(
    ("language", "month"),
    [
        ("it", "dic"),
        ("fr", "déc"),
        ("uk", "груд"),
        ("ar", "ديسمبر"),
        ("zh", "12月"),
        ("es", "dic"),
    ],
)
def test_event_date_in_the_users_locale_and_rome_time(language: str, month: str) -> None:
    text = fmt.event(event(), [language, "en"])
    when = text.splitlines()[1]
    assert month in when
    assert ("6:30" if language == "ar" else "18:30") in when, "17:30 UTC is 18:30 in Ancona"
    assert "Intercultural party" in text, "a missing translation falls back along the chain"


def test_event_text_is_read_only_once_published() -> None:
    assert "Intercultural party" in fmt.event(event(), ["ar", "en"]), "the Arabic is a draft"
    assert "حفلة بين الثقافات" in fmt.event(event({"ar": "published"}), ["ar", "en"])
    unpublished = event({"ar": "reviewed", "en": "draft"})
    assert fmt.event_text(unpublished, ["ar", "en", "it"]) is None
    assert "festa_intercultura" in fmt.event(unpublished, ["ar", "en", "it"])


def course(cost: Decimal | None) -> Course:
    return Course(
        slug="cpia_ancona_a1",
        provider="CPIA Ancona",
        level="A1",
        province="AN",
        cost_eur=cost,
        enrolment={},
        source_url="https://www.cpia-ancona.edu.it",
    )


@pytest.mark.parametrize(
    ("language", "free", "paid"),
    [
        ("it", "gratuito", "25,50\xa0€"),
        ("en", "free of charge", "€25.50"),
        ("fr", "gratuit", "25,50\xa0€"),
        ("ar", "مجاني", "25.50\xa0€"),
        ("zh", "免费", "€25.50"),
        ("bn", "বিনামূল্যে", "25.50€"),
    ],
)
def test_course_cost_is_free_or_euro_in_the_users_locale(
    language: str, free: str, paid: str
) -> None:
    def cost_line(euro: Decimal) -> str:
        lines = fmt.course(course(euro), [language, "en"]).splitlines()
        return next(line for line in lines if line.startswith("💶"))

    assert cost_line(Decimal(0)).endswith(free)
    assert cost_line(Decimal("25.50")).endswith(paid)
    assert "💶" not in fmt.course(course(None), [language, "en"]), "unknown cost: no line"


def office(**facts: object) -> Service:
    values: dict[str, object] = {
        "slug": "ordine_avvocati_fermo",
        "name": "Consiglio dell'Ordine degli Avvocati di Fermo",
        "category_key": "legal_aid",
        "province": "FM",
        "comune": "Fermo",
        "description": {},
        "source_url": "https://www.giustizia.it/giustizia/",
    }
    return Service(**(values | facts))


@pytest.mark.parametrize(
    ("language", "words"), [("it", "sito ufficiale"), ("ar", "الموقع الرسمي")]
)
def test_an_office_without_phone_or_website_points_to_its_official_site(
    seeded: sessionmaker[Session], language: str, words: str
) -> None:
    with seeded() as session:
        bare = session.scalars(
            select(Service).where(Service.phone.is_(None), Service.website.is_(None))
        ).all()
    assert any(row.category_key == "legal_aid" for row in bare), "the seed this test is about"
    for row in bare:
        site = f"{urlsplit(row.source_url).scheme}://{urlsplit(row.source_url).netloc}"
        [line] = [line for line in fmt.service(row, [language]).splitlines() if site in line]
        assert line.startswith("🌐") and words in line, row.slug


def test_a_phone_or_a_website_is_the_contact_line() -> None:
    reached = [
        fmt.service(office(phone="112"), ["en"]),
        fmt.service(office(website="https://www.ordineavvocatifermo.it"), ["en"]),
    ]
    assert all("official site" not in card for card in reached)
    assert (
        "find the address and hours on the official site" in fmt.service(office(), ["en"]).lower()
    )


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "📄 According to regione.marche.it, March 12, 2026"),
        ("it", "📄 Secondo regione.marche.it, 12 marzo 2026"),
        ("ar", "📄 بحسب regione.marche.it، 12 مارس 2026"),
    ],
)
def test_a_fact_from_a_dated_page_says_so_and_that_no_person_checked_it(
    language: str, line: str
) -> None:
    dated = {
        "source_url": "https://www.regione.marche.it/Notizie",
        "source_date": date(2026, 3, 12),
    }
    note = fmt.unverified_note(language)
    card = fmt.service(office(**dated), [language]).splitlines()
    assert card[-2:] == [line, note]
    checked = fmt.service(office(**dated, verified_on=date(2026, 4, 1)), [language])
    assert line in checked and note not in checked
    course_card = fmt.course(course(None), [language]).splitlines()
    assert course_card[-1] == note and not any(row.startswith("📄") for row in course_card)
    dated_course = course(None)
    dated_course.source_date = date(2026, 3, 12)
    dated_course.source_url = dated["source_url"]
    assert fmt.course(dated_course, [language]).splitlines()[-2:] == [line, note]


def test_an_event_names_its_source_only_when_taken_from_a_dated_page() -> None:
    published = event()
    assert "📄" not in fmt.event(published, ["en"]) and "⚠️" not in fmt.event(published, ["en"])
    published.source_date = date(2026, 11, 20)
    assert fmt.event(published, ["en"]).splitlines()[-2:] == [
        "📄 According to regione.marche.it, November 20, 2026",
        fmt.unverified_note("en"),
    ]


def test_an_office_is_read_aloud_without_its_web_address() -> None:
    row = office(
        description={"en": "It registers lawyers. It also gives free advice."},
        address="Via Roma 1",
        phone="0734 123456",
        opening_hours="lun 9-12",
        website="https://www.ordineavvocatifermo.it/",
    )
    read = fmt.spoken(row, ["en", "it"])
    assert read.splitlines() == [
        "Consiglio dell'Ordine degli Avvocati di Fermo.",
        "It registers lawyers.",
        "📍 Via Roma 1, Fermo (FM).",
        "☎️ Phone: 0734 123456.",
        "🕒 Opening hours: lun 9-12",
    ]
