"""FAQs as mediators look for them: by question in any language, category, status, language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from admin import faqs
from content.models import Faq, TranslationStatus
from content.repository import latest_translations
from content.text import clean, fold
from primm.settings import CATEGORIES

STATUSES = (*(s.value for s in TranslationStatus), faqs.OUTDATED)


@dataclass(frozen=True)
class Query:
    """What the filter form asks for; an empty field does not filter."""

    text: str = ""
    category: str = ""
    status: str = ""
    language: str = ""

    @classmethod
    def read(cls, params: Mapping[str, str], languages: Sequence[str]) -> Query:
        """The query of a request; unknown choices are dropped rather than refused."""
        category, status, language = (params.get(k, "") for k in ("category", "status", "lang"))
        return cls(
            text=clean(params.get("q", "")),
            category=category if category in CATEGORIES else "",
            status=status if status in STATUSES else "",
            language=language if language in languages else "",
        )

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.text or self.category or self.status or self.language)


@dataclass(frozen=True)
class Row:
    """An FAQ as lists show it: its question in the interface language and each status."""

    faq: Faq
    title: str
    statuses: dict[str, str]


def title(faq: Faq, interface: str) -> str:
    """The newest question in the interface language, else Italian, else any; the slug at worst."""
    latest = latest_translations(faq)
    for language in (interface, faqs.SOURCE_LANGUAGE, *sorted(latest)):
        if language in latest:
            return latest[language].question
    return faq.slug


def _haystack(faq: Faq) -> str:
    """Slug, questions and examples of every language, folded for matching."""
    texts = [faq.slug]
    for translation in latest_translations(faq).values():
        texts += [translation.question, *translation.examples]
    return fold("\n".join(texts))


def _matches(faq: Faq, statuses: dict[str, str], query: Query) -> bool:
    if query.category and faq.category_key != query.category:
        return False
    if query.status and query.status not in statuses.values():
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
        statuses = {language: faqs.shown_status(faq, language) for language in shown}
        if _matches(faq, statuses, query):
            rows.append(Row(faq, title(faq, interface), statuses))
    return rows
