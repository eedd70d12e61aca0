"""Arabic and Urdu told apart by their letters, on the way people write in the seed content."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from content.repository import published_translations
from dialogue.language import LanguageDetector
from storage.content import Faq


@pytest.mark.parametrize("language", ["ar", "ur"])
def test_an_italian_user_writing_arabic_or_urdu_gets_that_language(
    seeded: sessionmaker[Session], language: str
) -> None:
    with seeded() as session:
        faqs = session.scalars(select(Faq).options(selectinload(Faq.translations)))
        texts = [
            text
            for faq in faqs
            for translation in [published_translations(faq)[language]]
            for text in [translation.question, *translation.examples]
        ]
    # Some examples are romanised ("kaise") or Italian words only: those are Latin script.
    arabic_script = [t for t in texts if sum("\u0600" <= ch <= "\u06ff" for ch in t) > len(t) / 2]
    assert len(arabic_script) >= 300
    chosen = [LanguageDetector().choose(text, "it") for text in arabic_script]
    assert chosen.count(language) >= 0.97 * len(chosen)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ur", "mujhe italian seekhni hai fermo me, classes kab hain"),
        ("ur", "mera permesso expire ho gaya hai ab main kya karun"),
        ("bn", "amar permesso expire hoye geche ki korbo ekhon"),
        ("bn", "ami italian shikhte chai ancona te kothay class hoy"),
        ("ar", "ana bghit nt3alem italiano fin kayn cours"),
    ],
)
def test_latin_letters_never_switch_an_urdu_bengali_or_arabic_user_away(
    language: str, text: str
) -> None:
    assert LanguageDetector().choose(text, language) == language
