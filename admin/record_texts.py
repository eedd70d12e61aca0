"""A record's texts per language in a form (an event's title and text): which languages the form
sent, which must be complete, and how they go into the schema's input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from content.texts import SOURCE_LANGUAGE, STATUSES
from shared.vocabulary import LANGUAGES


def posted_languages(parts: Sequence[str], form: Mapping[str, str]) -> list[str]:
    """The languages whose texts the form sent (one tab's, or several)."""
    return [lang for lang in LANGUAGES if any(f"{part}_{lang}" in form for part in parts)]


def _typed(form: Mapping[str, str], part: str, lang: str) -> str:
    return str(form.get(f"{part}_{lang}", "")).strip()


def fill(parts: Sequence[str], form: Mapping[str, str], data: dict[str, Any]) -> None:
    """Put the posted languages' texts and statuses in; a language left blank has no text."""
    translations = data["translations"] = dict(data.get("translations", {}))
    statuses = data["statuses"] = dict(data.get("statuses", {}))
    for lang in posted_languages(parts, form):
        typed = {part: _typed(form, part, lang) for part in parts}
        if not any(typed.values()):
            translations.pop(lang, None)
            statuses.pop(lang, None)
            continue
        translations[lang] = typed
        status = str(form.get(f"status_{lang}", ""))
        if status in STATUSES:
            statuses[lang] = status


def required_languages(
    parts: Sequence[str], form: Mapping[str, str], base: Mapping[str, Any]
) -> list[str]:
    """Languages whose every part must be filled: Italian, and any the form has begun; Italian
    always on a new record, where every text starts."""
    wanted = [
        lang
        for lang in posted_languages(parts, form)
        if lang == SOURCE_LANGUAGE or any(_typed(form, part, lang) for part in parts)
    ]
    if parts and not base.get("translations") and SOURCE_LANGUAGE not in wanted:
        wanted.append(SOURCE_LANGUAGE)
    return wanted
