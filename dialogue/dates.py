"""Dates as people type them: 31/12/2027, 31.12.27, 2027-12-31, ٣١/١٢/٢٠٢٧, 2027年12月31日."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from babel.dates import parse_date

from shared.i18n import locale

# An Italian permit prints its dates day first (dd/mm/yyyy): people copy them from it, so the
# Italian reading comes first whatever the user's language; theirs is tried after it.
DOCUMENT_LANGUAGE = "it"
_SEPARATORS = re.compile(r"[\s/.\-年月]+")


def _ascii_digits(text: str) -> str:
    """Arabic-Indic, Persian, Bengali and other decimal digits as 0-9."""
    return "".join(
        str(unicodedata.decimal(char)) if unicodedata.decimal(char, None) is not None else char
        for char in text
    )


def parse_day(text: str, language: str) -> date | None:
    """The date in `text` (numbers only, any script), or None when it is not one."""
    cleaned = _ascii_digits(text).strip().rstrip("日").strip()
    numbers = [part for part in _SEPARATORS.split(cleaned) if part]
    if len(numbers) != 3 or not all(part.isascii() and part.isdigit() for part in numbers):
        return None
    if len(numbers[0]) == 4:  # year first (ISO, Chinese): no locale reads it otherwise
        year, month, day = (int(part) for part in numbers)
        try:
            return date(year, month, day)
        except ValueError:
            return None
    joined = "/".join(numbers)
    for reading in dict.fromkeys([DOCUMENT_LANGUAGE, language]):
        try:
            return parse_date(joined, locale=locale(reading))
        except (ValueError, IndexError):
            continue
    return None
