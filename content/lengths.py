"""How long the first message of each answer is, per language: the words a person reads first."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from content.repository import published_translations
from content.text import SHORT_WORDS, word_count
from storage.content import Faq, FaqTranslation


def first_message_words(translation: FaqTranslation) -> int:
    """The question and the short text; the whole answer for a text that has no short one."""
    return word_count(translation.question) + word_count(translation.short or translation.answer)


@dataclass(frozen=True)
class Lengths:
    """The first message's words in one language, over its published FAQs."""

    language: str
    faqs: int
    median: float
    longest: int
    without_short: list[str]  # slugs whose users still get the whole answer at once
    over: list[str]  # slugs whose short text passes the limit


def lengths(session: Session, languages: list[str]) -> list[Lengths]:
    """Per language, the words of the first message of every published FAQ."""
    faqs = session.scalars(select(Faq).options(selectinload(Faq.translations)).order_by(Faq.slug))
    texts: dict[str, dict[str, FaqTranslation]] = {language: {} for language in languages}
    for faq in faqs:
        for language, translation in published_translations(faq).items():
            if language in texts:
                texts[language][faq.slug] = translation
    return [_lengths(language, by_slug) for language, by_slug in texts.items()]


def _lengths(language: str, by_slug: dict[str, FaqTranslation]) -> Lengths:
    counts = [first_message_words(t) for t in by_slug.values()]
    return Lengths(
        language,
        len(by_slug),
        median(counts) if counts else 0,
        max(counts, default=0),
        [slug for slug, t in by_slug.items() if not t.short],
        [slug for slug, t in by_slug.items() if word_count(t.short) > SHORT_WORDS],
    )


def text(rows: list[Lengths]) -> str:
    """The table `primm content lengths` prints."""
    lines = [
        "Words of an answer's first message (question and short text), published FAQs",
        f"{'language':<9}{'FAQs':>6}{'median':>8}{'max':>6}{'no short':>10}{'too long':>10}",
    ]
    for row in rows:
        lines.append(
            f"{row.language:<9}{row.faqs:>6}{row.median:>8.0f}{row.longest:>6}"
            f"{len(row.without_short):>10}{len(row.over):>10}"
        )
    missing = sorted({slug for row in rows for slug in row.without_short})
    if missing:
        lines.append("Without a short text (users get the whole answer): " + ", ".join(missing))
    return "\n".join(lines)
