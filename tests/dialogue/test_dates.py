"""Dates as people type them, in the ten languages: read, or at least recognised as a date."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date

from dialogue.dates import looks_like_date, parse_day
from shared.i18n import locale
from shared.vocabulary import LANGUAGES

DAY = date(2027, 3, 15)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_date_as_the_users_language_writes_it_is_read(language: str) -> None:
    for width in ("long", "medium", "full"):
        written = format_date(DAY, width, locale=locale(language))
        assert parse_day(written, language) == DAY, written
        assert looks_like_date(written, language), written


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("15/03/2027", "en"),
        ("15.3.27", "it"),
        ("2027-03-15", "fr"),
        ("١٥/٠٣/٢٠٢٧", "ar"),
        ("۱۵/۰۳/۲۰۲۷", "ur"),
        ("১৫/০৩/২০২৭", "bn"),
        ("2027年3月15号", "zh"),
        ("15 marzo 2027", "bn"),  # copied from the Italian permit, whatever the user's language
        ("15 mars 2027", "fr"),
        ("15 березня 2027", "uk"),
        ("15 бер. 2027", "uk"),
        ("15 mar 2027", "sq"),
        ("scade il 15/03/2027", "it"),
        ("March 15, 2027", "es"),
    ],
)
def test_dates_typed_on_a_phone_are_read(typed: str, language: str) -> None:
    assert parse_day(typed, language) == DAY


@pytest.mark.parametrize(
    ("typed", "language"),
    [("31/02/2027", "it"), ("15/03", "en"), ("2027", "fr"), ("marzo 2027", "es"), ("3月", "zh")],
)
def test_an_unreadable_date_still_looks_like_one(typed: str, language: str) -> None:
    assert parse_day(typed, language) is None
    assert looks_like_date(typed, language)


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("mañana", "es"),
        ("how much does it cost? 16 euro", "en"),
        ("ho 3 figli", "it"),
        ("мені потрібна допомога", "uk"),
        ("我需要帮助", "zh"),
    ],
)
def test_a_question_is_not_a_date(typed: str, language: str) -> None:
    assert not looks_like_date(typed, language)
