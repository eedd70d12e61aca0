"""What espeak-ng reads: phone numbers digit by digit, Latin names by the Italian voice."""

from __future__ import annotations

import pytest

from content.speech import read_digits, ssml


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Chiama lo 0734 123456.", "Chiama lo 0 7 3 4, 1 2 3 4 5 6."),
        ("Tel. 071-2101", "Tel. 0 7 1, 2 1 0 1"),
        ("+39 333 1234567", "+ 3 9, 3 3 3, 1 2 3 4 5 6 7"),
        ("800 290 290 gratis", "8 0 0, 2 9 0, 2 9 0 gratis"),
        ("In emergenza chiama il 112 o il 1522.", "In emergenza chiama il 1 1 2 o il 1 5 2 2."),
        ("اتصل بالرقم 0733 256711", "اتصل بالرقم 0 7 3 3, 2 5 6 7 1 1"),
    ],
)
def test_phone_numbers_are_read_digit_by_digit(written: str, read: str) -> None:
    assert read_digits(written) == read


@pytest.mark.parametrize(
    "text",
    ["Il corso costa 16 euro.", "Dal 2026 al 2027", "Scade il 30/03/2026", "ore 9:00-13:00"],
)
def test_amounts_years_dates_and_hours_stay_numbers(text: str) -> None:
    assert read_digits(text) == text


def test_latin_names_in_arabic_and_urdu_are_read_by_the_italian_voice() -> None:
    arabic = ssml("اذهب إلى Questura di Ancona مع جواز السفر", "ar")
    assert '<voice xml:lang="it">Questura di Ancona</voice>' in arabic
    assert arabic.startswith("<speak>اذهب إلى ") and "مع جواز السفر</speak>" in arabic
    urdu = ssml("CPIA میں داخلہ لیں، فون 071 123456", "ur")
    assert urdu.startswith('<speak><voice xml:lang="it">CPIA</voice>')
    assert "0 7 1, 1 2 3 4 5 6" in urdu  # digits stay with the Urdu voice


def test_latin_script_languages_read_names_with_their_own_voice() -> None:
    assert ssml("Go to the Questura & bring a photo <2>", "en") == (
        "<speak>Go to the Questura &amp; bring a photo &lt;2&gt;</speak>"
    )


def test_web_addresses_are_not_read() -> None:
    assert ssml("Vedi https://www.questura.it/x?a=1 per i dettagli", "it") == (
        "<speak>Vedi  per i dettagli</speak>"
    )


def test_emoji_are_not_read() -> None:
    assert ssml("☎️ Telefono: 071 2101 📍 Via Roma", "it") == (
        "<speak> Telefono: 0 7 1, 2 1 0 1  Via Roma</speak>"
    )
