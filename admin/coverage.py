"""The coverage page's figures: how many texts of each language are in each status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from admin.faq_search import Row


def counts(rows: Sequence[Row], languages: Sequence[str]) -> dict[str, Counter[str]]:
    """Status -> number of FAQs, per language."""
    return {language: Counter(row.statuses[language] for row in rows) for language in languages}
