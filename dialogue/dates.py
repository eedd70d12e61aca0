"""Dates as people type them: 31/12/2027, 31.12.27, 2027-12-31, ٣١/١٢/٢٠٢٧, 2027年12月31日,
15 marzo 2027, March 15, 2027, 15 березня 2027."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache

from babel.dates import get_month_names, parse_date

from content.text import clean, fold, words
from shared.i18n import locale

# An Italian permit prints its dates day first (dd/mm/yyyy): people copy them from it, so the
# Italian reading comes first whatever the user's language; theirs is tried after it.
DOCUMENT_LANGUAGE = "it"
# Month names are read in the document's language, in English and in the user's own.
_NAMED_LANGUAGES = (DOCUMENT_LANGUAGE, "en")
_SEPARATOR = r"[\s/.\-]+"
# Chinese writes a date's parts with 年 (year), 月 (month), 日 or 号 (day) after the numbers.
_CHINESE_PARTS = str.maketrans("年月日号", "    ")
# Three numbers apart by separators, anywhere in the text ("scade il 15/03/2027").
_NUMERIC = re.compile(rf"(?<!\d)(\d{{1,4}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}(\d{{1,4}})(?!\d)")


def _plain(text: str) -> str:
    """Without invisible marks; Arabic-Indic, Bengali and other digits as 0-9; 年月日 as spaces."""
    return "".join(
        str(unicodedata.decimal(char)) if unicodedata.decimal(char, None) is not None else char
        for char in clean(text)
    ).translate(_CHINESE_PARTS)


@cache
def _months(language: str) -> dict[str, int]:
    """A language's month names, wide and abbreviated, folded, to their numbers."""
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, context, locale(language)).items():
                names.setdefault(fold(name).rstrip("."), number)
    return names


def _month(word: str, language: str) -> int | None:
    for reading in dict.fromkeys([*_NAMED_LANGUAGES, language]):
        if (number := _months(reading).get(word)) is not None:
            return number
    return None


def _numeric(parts: tuple[str, ...], language: str) -> date | None:
    first, second, third = parts
    if len(first) == 4:  # year first (ISO, Chinese): no locale reads it otherwise
        try:
            return date(int(first), int(second), int(third))
        except ValueError:
            return None
    joined = f"{first}/{second}/{third}"
    for reading in dict.fromkeys([DOCUMENT_LANGUAGE, language]):
        try:
            return parse_date(joined, locale=locale(reading))
        except (ValueError, IndexError):
            continue
    return None


def _named(found: list[str], language: str) -> date | None:
    """A day, a month's name and a four-digit year, in any order ("March 15, 2027")."""
    months = [number for word in found if (number := _month(word, language)) is not None]
    numbers = [word for word in found if word.isascii() and word.isdigit()]
    years = [word for word in numbers if len(word) == 4]
    days = [word for word in numbers if len(word) <= 2]
    if len(months) != 1 or len(years) != 1 or len(days) != 1:
        return None
    try:
        return date(int(years[0]), months[0], int(days[0]))
    except ValueError:
        return None


def parse_day(text: str, language: str) -> date | None:
    """The date in `text` (in numbers or with the month's name), or None when it has none."""
    cleaned = _plain(text)
    match = _NUMERIC.search(cleaned)
    if match:
        return _numeric(match.groups(), language)
    return _named(list(words(cleaned)), language)


def bare(text: str, language: str) -> bool:
    """Nothing but a date's parts: numbers, a month's name, short joining words ("15 de marzo")."""
    return all(
        word.isdigit() or len(word) <= 2 or _month(word, language) is not None
        for word in words(_plain(text))
    )


def looks_like_date(text: str, language: str) -> bool:
    """Whether `text` is meant as a date, readable or not: "15/03/2027", "31/02", "marzo 2027".

    Numbers with separators only, or a month's name beside a number, or three numbers in a
    sentence: while the bot waits for a date, such a text is never a question.
    """
    cleaned = _plain(text)
    found = list(words(cleaned))
    numbers = [word for word in found if word.isascii() and word.isdigit()]
    if not numbers:
        return False
    named = any(_month(word, language) is not None for word in found)
    return named or len(numbers) == len(found) or _NUMERIC.search(cleaned) is not None
