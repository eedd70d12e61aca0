"""The mediators' inbox: unanswered questions grouped, turned into FAQ examples or a new FAQ."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from admin import faqs
from admin.grouping import group
from content.repository import latest_translations
from content.schema import FaqDoc
from storage.admin import RunStatus, TrainingRun
from storage.content import Faq, FaqTranslation
from storage.inbox import InboxQuestion


@dataclass(frozen=True)
class Group:
    """Questions of one language that ask the same thing, newest first."""

    language: str
    questions: list[InboxQuestion]
    retrained_at: datetime | None

    @property
    def open(self) -> list[InboxQuestion]:
        """Questions not yet turned into an FAQ's example."""
        return [q for q in self.questions if q.faq_slug is None]

    @property
    def texts(self) -> list[str]:
        """The distinct wordings, the most frequent first."""
        return [text for text, _ in Counter(q.text for q in self.questions).most_common()]

    @property
    def category(self) -> str | None:
        """The bot's most frequent guess."""
        guesses = Counter(q.category for q in self.questions if q.category)
        return guesses.most_common(1)[0][0] if guesses else None

    @property
    def downvotes(self) -> int:
        """How many of the questions are 👎 on an answer."""
        return sum(1 for q in self.questions if q.topic)

    @property
    def faq_slug(self) -> str | None:
        """The FAQ the group was last turned into, if any."""
        done = [q for q in self.questions if q.faq_slug and q.converted_at]
        return max(done, key=lambda q: q.converted_at or q.created_at).faq_slug if done else None

    @property
    def answered(self) -> bool:
        """Turned into an FAQ, nothing new since, and a training succeeded afterwards."""
        converted = [q.converted_at for q in self.questions if q.converted_at]
        return (
            not self.open
            and bool(converted)
            and self.retrained_at is not None
            and self.retrained_at >= max(c for c in converted if c)
        )


def last_training(session: Session) -> datetime | None:
    """When the newest successful training finished: what the running bot knows since."""
    return session.scalar(
        select(TrainingRun.finished_at)
        .where(TrainingRun.status == RunStatus.SUCCEEDED)
        .order_by(TrainingRun.finished_at.desc())
        .limit(1)
    )


def groups(session: Session) -> list[Group]:
    """Every kept question grouped per language by similarity; open and biggest groups first."""
    retrained = last_training(session)
    rows = list(session.scalars(select(InboxQuestion).order_by(InboxQuestion.created_at.desc())))
    by_language: dict[str, list[InboxQuestion]] = {}
    for row in rows:
        by_language.setdefault(row.language, []).append(row)
    found = [
        Group(language, [questions[i] for i in members], retrained)
        for language, questions in sorted(by_language.items())
        for members in group([q.text for q in questions])
    ]
    return sorted(found, key=lambda g: (not g.open, -len(g.open), -len(g.questions), g.language))


def questions(session: Session, ids: Sequence[int]) -> list[InboxQuestion]:
    """The open questions among `ids` (converted ones are left as they are)."""
    return list(
        session.scalars(
            select(InboxQuestion)
            .where(InboxQuestion.id.in_(ids), InboxQuestion.faq_slug.is_(None))
            .order_by(InboxQuestion.created_at)
        )
    )


def mark(rows: Sequence[InboxQuestion], slug: str) -> None:
    """Record which FAQ the questions became examples of."""
    now = datetime.now(UTC)
    for row in rows:
        row.faq_slug, row.converted_at = slug, now


def add_examples(
    session: Session, faq: Faq, language: str, texts: Sequence[str]
) -> FaqTranslation | None:
    """A new version of the FAQ's text in `language` with the texts as more examples.

    The version keeps its status, so a published text stays published and the next training
    uses the examples. None when the FAQ has no text in that language yet.
    """
    current = latest_translations(faq).get(language)
    if current is None:
        return None
    known = {current.question, *current.examples}
    new = [text for text in dict.fromkeys(texts) if text not in known]
    examples = [*current.examples, *new]
    draft = faqs.Draft(
        current.question, current.answer, examples, current.status, current.short, current.desk
    )
    added = faqs.add_version(session, faq, language, draft)
    # Examples are for training, never shown: the question and answer a person reviewed stand.
    added.reviewed_by, added.reviewed_at = current.reviewed_by, current.reviewed_at
    return added


def create_faq(session: Session, doc: FaqDoc) -> Faq:
    """A new FAQ with one draft text per language given, validated by the seed schema."""
    faq = Faq(slug=doc.slug, category_key=doc.category, source_url=doc.source_url)
    session.add(faq)
    session.flush()
    for language, text in doc.translations.items():
        desk = text.desk.model_dump() if text.desk else None
        draft = faqs.Draft(
            text.question, text.answer, list(text.examples), text.status, text.short, desk
        )
        faqs.add_version(session, faq, language, draft)
    return faq
