"""FAQ translations as editors see them: status per language, new versions, publish, restore."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from content.repository import Desk, latest_translations, rebuild_search
from content.texts import OUTDATED, SOURCE_LANGUAGE
from storage.content import Faq, FaqTranslation, TranslationStatus

# Shown statuses: the stored ones plus "outdated", worked out from the Italian source.
MISSING = TranslationStatus.MISSING.value


def load_faq(session: Session, slug: str) -> Faq | None:
    """An FAQ with all its versions."""
    return session.scalar(
        select(Faq).where(Faq.slug == slug).options(selectinload(Faq.translations))
    )


def shown_status(faq: Faq, language: str) -> str:
    """Status of a language: missing, draft, reviewed, published, or outdated.

    Outdated: the Italian source got a newer version after this translation's newest one.
    """
    latest = latest_translations(faq)
    own = latest.get(language)
    if own is None:
        return MISSING
    source = latest.get(SOURCE_LANGUAGE)
    if (
        language != SOURCE_LANGUAGE
        and source is not None
        and source.version > 1
        and source.created_at > own.created_at
    ):
        return OUTDATED
    return own.status.value


def versions(faq: Faq, language: str) -> list[FaqTranslation]:
    """All versions of one language, newest first."""
    return sorted(
        (t for t in faq.translations if t.language == language),
        key=lambda t: t.version,
        reverse=True,
    )


def snapshot(translation: FaqTranslation | None) -> dict[str, object] | None:
    """What the audit log keeps of a version."""
    if translation is None:
        return None
    return {
        "language": translation.language,
        "version": translation.version,
        "status": translation.status.value,
        "question": translation.question,
        "short": translation.short,
        "answer": translation.answer,
        "examples": list(translation.examples),
        "desk": translation.desk,
        "reviewed_by": translation.reviewed_by,
        "reviewed_at": translation.reviewed_at.isoformat() if translation.reviewed_at else None,
    }


@dataclass(frozen=True)
class Draft:
    """What the editor form sends for one language."""

    question: str
    answer: str
    examples: list[str]
    status: TranslationStatus
    short: str = ""  # what users see first; the answer is behind "More details"
    desk: dict[str, Any] | None = None  # {"need": ..., "documents": [...]}: the desk card


def add_version(
    session: Session, faq: Faq, language: str, draft: Draft, reviewer: str | None = None
) -> FaqTranslation:
    """Append a version (nothing is overwritten) and refresh the search index.

    `reviewer`: the person who wrote or checked this text and vouches for it, if any.
    """
    current = latest_translations(faq).get(language)
    now = datetime.now(UTC)
    translation = FaqTranslation(
        language=language,
        version=current.version + 1 if current else 1,
        status=draft.status,
        question=draft.question,
        short=draft.short,
        answer=draft.answer,
        examples=draft.examples,
        desk=draft.desk,
        # Set here, not by the database clock, so "outdated" compares to the microsecond.
        created_at=now,
        reviewed_by=reviewer,
        reviewed_at=now if reviewer else None,
    )
    faq.translations.append(translation)
    session.flush()
    rebuild_search(session)
    return translation


def publish(session: Session, faq: Faq, language: str) -> FaqTranslation | None:
    """Make the newest version the one users read."""
    current = latest_translations(faq).get(language)
    if current is None:
        return None
    current.status = TranslationStatus.PUBLISHED
    session.flush()
    rebuild_search(session)
    return current


def review(session: Session, faq: Faq, language: str, reviewer: str) -> FaqTranslation | None:
    """A person read the newest version and found it right: a draft becomes reviewed.

    The text is not changed, so no version is added; a published text stays published.
    """
    current = latest_translations(faq).get(language)
    if current is None:
        return None
    current.reviewed_by, current.reviewed_at = reviewer, datetime.now(UTC)
    if current.status is TranslationStatus.DRAFT:
        current.status = TranslationStatus.REVIEWED
    session.flush()
    return current


def restore(session: Session, faq: Faq, language: str, version: int) -> FaqTranslation | None:
    """Bring back an old version's text as a new draft version."""
    old = next((t for t in versions(faq, language) if t.version == version), None)
    if old is None:
        return None
    draft = Draft(
        old.question, old.answer, list(old.examples), TranslationStatus.DRAFT, old.short, old.desk
    )
    return add_version(session, faq, language, draft)


def _lines(translation: FaqTranslation) -> list[str]:
    desk = Desk.read(translation.desk)
    return [
        translation.question,
        "",
        *translation.short.splitlines(),
        "",
        *translation.answer.splitlines(),
        "",
        *translation.examples,
        *(["", desk.need, *(f"• {d}" for d in desk.documents)] if desk else []),
    ]


def diff(older: FaqTranslation, newer: FaqTranslation) -> list[tuple[str, str]]:
    """Line diff between two versions: ("+", line), ("-", line) or (" ", line)."""
    lines = difflib.ndiff(_lines(older), _lines(newer))
    return [(line[0], line[2:]) for line in lines if line[0] in "+- "]
