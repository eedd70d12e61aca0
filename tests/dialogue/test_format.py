"""Content rows as the user reads them: dates in their locale and in Italian time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from content.models import Event
from dialogue import format as fmt


def event() -> Event:
    return Event(
        slug="festa_intercultura",
        translations={"en": {"title": "Intercultural party", "text": "Music and food."}},
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
