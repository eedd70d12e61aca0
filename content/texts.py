"""Texts kept per language with a status beside them (events, announcements): what users read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, TypeVar, get_args

from content.models import TranslationStatus

TextStatus = Literal["draft", "reviewed", "published"]
STATUSES: tuple[str, ...] = get_args(TextStatus)
PUBLISHED = TranslationStatus.PUBLISHED.value
MISSING = TranslationStatus.MISSING.value
T = TypeVar("T")


def status(texts: Mapping[str, object], statuses: Mapping[str, str], language: str) -> str:
    """A language's status: missing without a text, else the stored one (none: published)."""
    if not texts.get(language):
        return MISSING
    return statuses.get(language, PUBLISHED)


def each_status(
    texts: Mapping[str, object], statuses: Mapping[str, str], languages: Sequence[str]
) -> dict[str, str]:
    """The status of every language, missing ones included (what the language tabs show)."""
    return {language: status(texts, statuses, language) for language in languages}


def published(texts: Mapping[str, T], statuses: Mapping[str, str]) -> dict[str, T]:
    """The texts users may read: written and published."""
    return {
        language: text
        for language, text in texts.items()
        if text and statuses.get(language, PUBLISHED) == PUBLISHED
    }
