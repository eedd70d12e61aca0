"""Content rows as the user reads them: dates in their locale and in Italian time."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from content.models import Course, Event
from dialogue import format as fmt


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
