"""The seed content as a test compares against it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from content.repository import published_translations
from storage.content import Faq, FaqTranslation


def translation(sessions: sessionmaker[Session], slug: str, language: str) -> FaqTranslation:
    """An FAQ's published text in one language: what a user reads."""
    with sessions() as session:
        faq = session.scalars(
            select(Faq).where(Faq.slug == slug).options(selectinload(Faq.translations))
        ).one()
        return published_translations(faq)[language]


def shown_first(text: FaqTranslation) -> str:
    """What an answer's first message shows of a text: its short one, else the whole answer."""
    return text.short or text.answer
