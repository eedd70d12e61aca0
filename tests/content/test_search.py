"""The full-text fallback finds the right entry in any script, on both database backends."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from content.repository import rebuild_search
from content.search import search, terms
from storage.content import Category, Faq, FaqTranslation, IntentExamples, TranslationStatus

ENTRIES = {
    "permit_renewal": {
        "it": ("Come rinnovo il permesso di soggiorno?", ["rinnovo permesso scaduto"]),
        "zh": ("如何续签居留许可？", ["居留许可过期了怎么办"]),
        "bn": ("পারমিট কিভাবে রিনিউ করব?", ["permesso di soggiorno রিনিউ"]),
    },
    "family_doctor": {
        "it": ("Come scelgo il medico di base?", ["medico di famiglia"]),
        "ar": ("كيف أختار طبيب الأسرة؟", ["طبيب العائلة medico di base"]),
    },
}


UNCOVERED = {
    "pets": "il mio gatto ha bisogno del veterinario",
    "sports": "dove posso giocare a calcio la domenica",
}


@pytest.fixture
def indexed(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        session.add(Category(key="residence_permit", position=0))
        session.flush()
        for slug, texts in ENTRIES.items():
            faq = Faq(slug=slug, category_key="residence_permit", source_url="https://x.it/")
            faq.translations = [
                FaqTranslation(
                    language=lang,
                    version=1,
                    status=TranslationStatus.PUBLISHED,
                    question=q,
                    answer="…",
                    examples=ex,
                )
                for lang, (q, ex) in texts.items()
            ]
            session.add(faq)
        session.add(
            IntentExamples(intent="greeting", language="uk", examples=["привіт", "добрий день"])
        )
        # Uncovered topics: one row per topic in the same language, all of them searched.
        session.add_all(
            IntentExamples(intent="out_of_scope", language="it", topic=topic, examples=[example])
            for topic, example in UNCOVERED.items()
        )
        session.flush()
        rebuild_search(session)
    return sessions


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("permesso scaduto rinnovo", "faq/permit_renewal"),
        ("居留许可过期", "faq/permit_renewal"),
        ("রিনিউ পারমিট", "faq/permit_renewal"),
        ("طبيب الاسرة", "faq/family_doctor"),
        ("medico di bse", "faq/family_doctor"),  # a typo still shares most trigrams
        ("Привіт!", "greeting"),
        ("veterinario per il gatto", "out_of_scope"),
        ("giocare a calcio", "out_of_scope"),
    ],
)
def test_finds_target(indexed: sessionmaker[Session], query: str, target: str) -> None:
    with indexed() as session:
        hits = search(session, query)
    assert hits and hits[0].target == target
    assert 0 < hits[0].score <= 1


@pytest.mark.parametrize("query", ["", "🙏🙏", "' OR 1=1 --", "NEAR(a b)", "x" * 10_000])
def test_odd_queries_do_not_fail(indexed: sessionmaker[Session], query: str) -> None:
    with indexed() as session:
        hits = search(session, query)
    assert all(hit.score <= 1 for hit in hits)


def test_terms_ignore_punctuation_and_case() -> None:
    assert terms("Permesso!") == terms("permesso")


@pytest.mark.parametrize(
    "hostile",
    [
        "'; DROP TABLE search_entries; --",
        '" OR 1=1 --',
        "permesso') UNION SELECT * FROM bot_users --",
        "NEAR(a b) AND * : ^ \\ & | ! <->",
        "\x00\x1b[31m",
    ],
)
def test_hostile_queries_are_only_text(indexed: sessionmaker[Session], hostile: str) -> None:
    with indexed() as session:
        search(session, hostile)
        assert search(session, "rinnovo permesso scaduto")[0].target == "faq/permit_renewal"
