"""The coverage page's figures: texts of each language in each status, reviewed or not."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from admin.faq_search import Row


def counts(rows: Sequence[Row], languages: Sequence[str]) -> dict[str, Counter[str]]:
    """Status -> number of FAQs, per language."""
    return {language: Counter(row.statuses[language] for row in rows) for language in languages}


def reviews(rows: Sequence[Row], languages: Sequence[str]) -> dict[str, Counter[str]]:
    """ "yes" (a person reviewed the text) or "no" -> number of FAQs, per language with a text."""
    return {
        language: Counter(
            "yes" if row.reviewed[language] else "no" for row in rows if language in row.reviewed
        )
        for language in languages
    }
