"""Texts kept per language with a status beside them (events, announcements): what users read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal, TypeVar, get_args

from storage.content import Event, TranslationStatus
from storage.subscriptions import Announcement

TextStatus = Literal["draft", "reviewed", "published"]
STATUSES: tuple[str, ...] = get_args(TextStatus)
PUBLISHED = TranslationStatus.PUBLISHED.value
MISSING = TranslationStatus.MISSING.value
OUTDATED = "outdated"  # shown, never stored: the Italian text was revised after this one
SOURCE_LANGUAGE = "it"  # texts are written in Italian first and translated from it
T = TypeVar("T")


def status(
    texts: Mapping[str, object],
    statuses: Mapping[str, str],
    language: str,
    changed: Mapping[str, str],
) -> str:
    """A language's status: missing without a text, outdated when the Italian was revised after
    it (`changed`: when each text was last written), else the stored one (none: published)."""
    if not texts.get(language):
        return MISSING
    revised = changed.get(SOURCE_LANGUAGE)
    if language != SOURCE_LANGUAGE and revised and changed.get(language, "") < revised:
        return OUTDATED
    return statuses.get(language, PUBLISHED)


def each_status(
    texts: Mapping[str, object],
    statuses: Mapping[str, str],
    changed: Mapping[str, str],
    languages: Sequence[str],
) -> dict[str, str]:
    """The status of every language, missing ones included (what the language tabs show)."""
    return {language: status(texts, statuses, language, changed) for language in languages}


def of_event(event: Event | None, languages: Sequence[str]) -> dict[str, str]:
    """Each language's status of an event's texts (all missing before it exists)."""
    if event is None:
        return each_status({}, {}, {}, languages)
    return each_status(event.translations, event.statuses, event.text_changed_at, languages)


def of_announcement(row: Announcement | None, languages: Sequence[str]) -> dict[str, str]:
    """Each language's status of an announcement's texts (all missing before it exists)."""
    if row is None:
        return each_status({}, {}, {}, languages)
    return each_status(row.texts, row.statuses, row.text_changed_at, languages)


def touch(
    changed: Mapping[str, str],
    before: Mapping[str, object],
    after: Mapping[str, object],
    now: datetime,
) -> dict[str, str]:
    """When each text was last written, after a save that turned `before` into `after`.

    The first Italian text is not stamped: only a revision of it makes translations outdated.
    """
    stamped = {language: when for language, when in changed.items() if after.get(language)}
    for language, text in after.items():
        revised = language != SOURCE_LANGUAGE or bool(before.get(language))
        if text and before.get(language) != text and revised:
            stamped[language] = now.isoformat()
    return stamped


def published(texts: Mapping[str, T], statuses: Mapping[str, str]) -> dict[str, T]:
    """The texts users may read: written and published."""
    return {
        language: text
        for language, text in texts.items()
        if text and statuses.get(language, PUBLISHED) == PUBLISHED
    }
