"""Personal data in a user's words: phone numbers of any country and e-mail addresses are
found as typed; dates, years, postcodes and short codes are not phone numbers."""

from __future__ import annotations

import pytest

from content.personal import Found, Kind, personal_data


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("chiamatemi al 333 123 4567 grazie", [Found(Kind.PHONE, "333 123 4567")]),
        ("il mio numero è 3331234567", [Found(Kind.PHONE, "3331234567")]),
        ("ufficio 071 123456, chiedere di Anna", [Found(Kind.PHONE, "071 123456")]),
        ("رقم أخي +212 6 12 34 56 78", [Found(Kind.PHONE, "+212 6 12 34 56 78")]),
        ("my mail is amina.k+bot@example.org", [Found(Kind.EMAIL, "amina.k+bot@example.org")]),
        (
            "пишіть olena@пошта.укр або +380 44 123 4567",
            [Found(Kind.EMAIL, "olena@пошта.укр"), Found(Kind.PHONE, "+380 44 123 4567")],
        ),
    ],
)
def test_phone_numbers_and_e_mail_addresses_are_found_as_typed(
    text: str, found: list[Found]
) -> None:
    assert personal_data(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "il permesso scade il 15/03/2031",
        "sono nato nel 1990 e ho 2 figli",
        "CAP 60121 Ancona",
        "codice 4343",
        "chiamare il 112",
        "pratica n. 123456789",
    ],
)
def test_dates_years_postcodes_and_codes_are_not_personal_data(text: str) -> None:
    assert personal_data(text) == []
