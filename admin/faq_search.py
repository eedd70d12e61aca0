"""FAQs as mediators look for them: by question in any language, category, status, language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from admin import faqs
from content.repository import latest_translations
from content.text import clean, fold
from content.texts import OUTDATED, SOURCE_LANGUAGE
from shared.vocabulary import CATEGORIES
from storage.content import Faq, TranslationStatus

STATUSES = (*(s.value for s in TranslationStatus), OUTDATED)
REVIEWS = ("yes", "no")  # reviewed by a person, or not (seed texts, drafts nobody checked)


@dataclass(frozen=True)
class Query:
    """What the filter form asks for; an empty field does not filter."""

    text: str = ""
    category: str = ""
    status: str = ""
    language: str = ""
    review: str = ""

    @classmethod
    def read(cls, params: Mapping[str, str], languages: Sequence[str]) -> Query:
        """The query of a request; unknown choices are dropped rather than refused."""
        category, status, language, review = (
            params.get(key, "") for key in ("category", "status", "lang", "review")
        )
        return cls(
            text=clean(params.get("q", "")),
            category=category if category in CATEGORIES else "",
            status=status if status in STATUSES else "",
            language=language if language in languages else "",
            review=review if review in REVIEWS else "",
        )

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.text or self.category or self.status or self.language or self.review)


@dataclass(frozen=True)
class Row:
    """An FAQ as lists show it: its question in the interface language, each status, and
    whether a person reviewed each text there is (languages without a text are left out)."""

    faq: Faq
    title: str
    statuses: dict[str, str]
    reviewed: dict[str, bool]


def title(faq: Faq, interface: str) -> str:
    """The newest question in the interface language, else Italian, else any; the slug at worst."""
    latest = latest_translations(faq)
    for language in (interface, SOURCE_LANGUAGE, *sorted(latest)):
        if language in latest:
            return latest[language].question
    return faq.slug


def _haystack(faq: Faq) -> str:
    """Slug, questions and examples of every language, folded for matching."""
    texts = [faq.slug]
    for translation in latest_translations(faq).values():
        texts += [translation.question, *translation.examples]
    return fold("\n".join(texts))


def _matches(faq: Faq, row: Row, query: Query) -> bool:
    if query.category and faq.category_key != query.category:
        return False
    if query.status and query.status not in row.statuses.values():
        return False
    if query.review and (query.review == "yes") not in row.reviewed.values():
        return False
    haystack = _haystack(faq) if query.text else ""
    return all(word in haystack for word in fold(query.text).split())


def find(session: Session, query: Query, languages: Sequence[str], interface: str) -> list[Row]:
    """The FAQs the query asks for, by category then slug; statuses of the languages shown."""
    shown = [query.language] if query.language else list(languages)
    found = session.scalars(
        select(Faq).options(selectinload(Faq.translations)).order_by(Faq.category_key, Faq.slug)
    )
    rows = []
    for faq in found:
        latest = latest_translations(faq)
        row = Row(
            faq,
            title(faq, interface),
            {language: faqs.shown_status(faq, language) for language in shown},
            {language: latest[language].reviewed for language in shown if language in latest},
        )
        if _matches(faq, row, query):
            rows.append(row)
    return rows
