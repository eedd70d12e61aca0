"""Read side of the content base: what the dialogue core and the NLU export ask for."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Row, func, or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from content import search
from content.geo import distance_km
from storage.admin import AuditEntry
from storage.content import (
    Course,
    Event,
    Faq,
    FaqTranslation,
    IntentExamples,
    Service,
    TranslationStatus,
)

# The language of the desk card people show at an office: the clerk reads it.
DESK_LANGUAGE = "it"


def latest_translations(faq: Faq) -> dict[str, FaqTranslation]:
    """Newest version per language, whatever its status."""
    return {t.language: t for t in sorted(faq.translations, key=lambda t: t.version)}


def published_translations(faq: Faq) -> dict[str, FaqTranslation]:
    """Newest published version per language: what users get to read."""
    return {
        t.language: t
        for t in sorted(faq.translations, key=lambda t: t.version)
        if t.status is TranslationStatus.PUBLISHED
    }


def not_over(after: datetime) -> ColumnElement[bool]:
    """Events that end after `after`, or start after it when their end is not known."""
    return or_(Event.ends_at >= after, Event.ends_at.is_(None) & (Event.starts_at >= after))


def rebuild_search(session: Session) -> None:
    """Re-index published FAQ questions and examples and all intent examples (an intent such as
    `out_of_scope` has a row per topic and language: every row is indexed)."""
    texts: list[tuple[str, str, str]] = []
    for faq in session.scalars(select(Faq).options(selectinload(Faq.translations))):
        for language, translation in published_translations(faq).items():
            target = f"faq/{faq.slug}"
            texts += [
                (target, language, text) for text in (translation.question, *translation.examples)
            ]
    for row in session.scalars(select(IntentExamples)):
        texts += [(row.intent, row.language, text) for text in row.examples]
    search.replace_entries(session, texts)


def _first_questions(
    rows: Iterable[Row[str, str, str]], languages: Sequence[str]
) -> dict[str, str]:
    """Each FAQ's newest question (rows ordered by version) in the first of `languages` having
    one; rows without a text (an outer join's) are skipped."""
    newest: dict[str, dict[str, str]] = {}
    for slug, language, question in rows:
        if language is not None and question is not None:
            newest.setdefault(slug, {})[language] = question
    return {
        slug: next(texts[language] for language in languages if language in texts)
        for slug, texts in newest.items()
    }


@dataclass(frozen=True)
class FaqAnswer:
    """An FAQ's text in the best available language."""

    slug: str
    category: str
    question: str
    short: str  # what the user sees first; empty: the whole answer is shown at once
    answer: str
    language: str
    source_url: str
    offices: tuple[str, ...]  # the kinds of office that serve the question, most useful first
    at_desk: bool = False  # its published Italian text has a desk card


@dataclass(frozen=True)
class Desk:
    """What a person needs at an office's desk and what they bring, in one language."""

    need: str
    documents: tuple[str, ...]

    @classmethod
    def read(cls, value: object) -> Desk | None:
        """The stored card (a JSON object), or None when there is none."""
        if not isinstance(value, dict) or not value.get("need"):
            return None
        return cls(str(value["need"]), tuple(str(d) for d in value.get("documents") or ()))


@dataclass(frozen=True)
class FaqDesks:
    """An FAQ's desk cards: the newest published text of each language asked that has one."""

    category: str
    offices: tuple[str, ...]
    desks: dict[str, Desk]


class ContentRepository:
    """Queries the dialogue core needs, each in its own short session."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def version(self) -> int | None:
        """The newest entry of the admin tool's audit log: every edit saved there writes one."""
        with self.sessions() as session:
            return session.scalar(select(func.max(AuditEntry.id)))

    def faq_category(self, slug: str) -> str | None:
        """Category key of an FAQ, or None when the slug is unknown."""
        with self.sessions() as session:
            return session.scalar(select(Faq.category_key).where(Faq.slug == slug))

    def faq_answer(self, slug: str, languages: Sequence[str]) -> FaqAnswer | None:
        """The FAQ in the first of `languages` that has a published text."""
        # Only the columns of the languages asked for: this runs for every FAQ button shown.
        query = (
            select(
                Faq.category_key,
                Faq.source_url,
                Faq.offices,
                FaqTranslation.language,
                FaqTranslation.question,
                FaqTranslation.short,
                FaqTranslation.answer,
                FaqTranslation.desk,
            )
            .join(Faq.translations)
            .where(
                Faq.slug == slug,
                # Italian too, whatever the chain: the desk card is shown only with its text.
                FaqTranslation.language.in_([*languages, DESK_LANGUAGE]),
                FaqTranslation.status == TranslationStatus.PUBLISHED,
            )
            .order_by(FaqTranslation.version)
        )
        with self.sessions() as session:
            newest = {row.language: row for row in session.execute(query)}
        for language in languages:
            if language in newest:
                row = newest[language]
                return FaqAnswer(
                    slug,
                    row.category_key,
                    row.question,
                    row.short,
                    row.answer,
                    language,
                    row.source_url,
                    tuple(row.offices),
                    DESK_LANGUAGE in newest and Desk.read(newest[DESK_LANGUAGE].desk) is not None,
                )
        return None

    def faq_desks(self, slug: str, languages: Sequence[str]) -> FaqDesks | None:
        """An FAQ's desk cards in `languages`, from the newest published text of each (an older
        version's card is not shown once a newer one has none); None for an FAQ with no
        published text in them."""
        query = (
            select(
                Faq.category_key,
                Faq.offices,
                FaqTranslation.language,
                FaqTranslation.desk,
            )
            .join(Faq.translations)
            .where(
                Faq.slug == slug,
                FaqTranslation.language.in_(languages),
                FaqTranslation.status == TranslationStatus.PUBLISHED,
            )
            .order_by(FaqTranslation.version)
        )
        with self.sessions() as session:
            newest = {row.language: row for row in session.execute(query)}
        if not newest:
            return None
        first = next(iter(newest.values()))
        desks = {
            language: desk
            for language, row in newest.items()
            if (desk := Desk.read(row.desk)) is not None
        }
        return FaqDesks(first.category_key, tuple(first.offices), desks)

    def faq_questions(self, slugs: Sequence[str], languages: Sequence[str]) -> dict[str, str]:
        """Each FAQ's question in the first of `languages` having it: one query per keyboard."""
        query = (
            select(Faq.slug, FaqTranslation.language, FaqTranslation.question)
            .join(Faq.translations)
            .where(
                Faq.slug.in_(slugs),
                FaqTranslation.language.in_(languages),
                FaqTranslation.status == TranslationStatus.PUBLISHED,
            )
            .order_by(FaqTranslation.version)
        )
        with self.sessions() as session:
            return _first_questions(session.execute(query), languages)

    def faqs_in_category(self, category: str, languages: Sequence[str]) -> dict[str, str]:
        """A category's FAQs in a stable order, each with its question in the first of
        `languages` having it, else its slug: one query where two were, per keyboard."""
        published = Faq.translations.and_(
            FaqTranslation.language.in_(languages),
            FaqTranslation.status == TranslationStatus.PUBLISHED,
        )
        query = (
            select(Faq.slug, FaqTranslation.language, FaqTranslation.question)
            .outerjoin(published)
            .where(Faq.category_key == category)
            .order_by(Faq.id, FaqTranslation.version)
        )
        with self.sessions() as session:
            rows = session.execute(query).all()
        questions = _first_questions(rows, languages)
        return {row.slug: questions.get(row.slug, row.slug) for row in rows}

    def services(self, category: str, province: str | None) -> list[Service]:
        """Services of a category in a province, national ones included."""
        with self.sessions() as session:
            query = select(Service).where(Service.category_key == category)
            if province is not None:
                query = query.where(or_(Service.province == province, Service.province.is_(None)))
            return list(
                session.scalars(query.order_by(Service.province.nulls_first(), Service.name))
            )

    def services_of_kinds(self, kinds: Sequence[str], province: str | None) -> list[Service]:
        """Offices of these kinds in a province and national ones, in the kinds' order, the
        province's own first within a kind."""
        with self.sessions() as session:
            query = select(Service).where(Service.kind.in_(kinds))
            if province is not None:
                query = query.where(or_(Service.province == province, Service.province.is_(None)))
            found = session.scalars(query.order_by(Service.name))
            return sorted(found, key=lambda s: (kinds.index(s.kind or ""), s.province is None))

    def service(self, slug: str) -> Service | None:
        """One office, for its whole card."""
        with self.sessions() as session:
            return session.scalar(select(Service).where(Service.slug == slug))

    def towns(self, province: str) -> list[str]:
        """Comuni of a province that have offices, those with the most first."""
        with self.sessions() as session:
            count = func.count(Service.id)
            query = (
                select(Service.comune)
                .where(Service.province == province, Service.comune.is_not(None))
                .group_by(Service.comune)
                .order_by(count.desc(), Service.comune)
            )
            return [town for town in session.scalars(query) if town]

    def nearest(
        self, latitude: float, longitude: float, category: str | None, limit: int
    ) -> list[tuple[Service, float]]:
        """Offices with known coordinates, nearest first, with their distance in km."""
        with self.sessions() as session:
            query = select(Service).where(
                Service.latitude.is_not(None), Service.longitude.is_not(None)
            )
            if category is not None:
                query = query.where(Service.category_key == category)
            located = [
                (row, distance_km(latitude, longitude, row.latitude, row.longitude))
                for row in session.scalars(query)
                if row.latitude is not None and row.longitude is not None
            ]
        return sorted(located, key=lambda pair: (pair[1], pair[0].name))[:limit]

    def courses(self, province: str | None) -> list[Course]:
        """Italian courses, in a province when one is given."""
        with self.sessions() as session:
            query = select(Course)
            if province is not None:
                query = query.where(Course.province == province)
            return list(session.scalars(query.order_by(Course.province, Course.level)))

    def events(self, province: str | None, after: datetime) -> list[Event]:
        """Events that have not ended yet, soonest first."""
        with self.sessions() as session:
            query = select(Event).where(not_over(after))
            if province is not None:
                query = query.where(or_(Event.province == province, Event.province.is_(None)))
            return list(session.scalars(query.order_by(Event.starts_at).limit(10)))

    def search(self, text: str, limit: int = 3) -> list[search.Hit]:
        """Full-text fallback when the NLU server is unreachable."""
        with self.sessions() as session:
            return search.search(session, text, limit)
