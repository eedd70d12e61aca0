"""The content base's read side, on both backends."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.loader import load_seed
from content.repository import ContentRepository, published_translations
from storage.content import Faq, FaqTranslation, TranslationStatus

CATEGORY = "residence_permit"


def test_a_categorys_faqs_come_in_order_each_in_the_first_language_that_has_it(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        load_seed(session)
        faqs = list(session.scalars(select(Faq).where(Faq.category_key == CATEGORY)))
        first, second = faqs[0], faqs[1]
        for translation in first.translations:
            if translation.language == "sq":
                translation.status = TranslationStatus.DRAFT
        newest = max(t.version for t in second.translations if t.language == "sq") + 1
        second.translations.append(
            FaqTranslation(
                language="sq",
                version=newest,
                status=TranslationStatus.PUBLISHED,
                question="Pyetja e re?",
                answer="Përgjigja e re.",
            )
        )
        english = published_translations(first)["en"].question
        slugs = [faq.slug for faq in sorted(faqs, key=lambda faq: faq.id)]
    content = ContentRepository(sessions)

    found = content.faqs_in_category(CATEGORY, ["sq", "en"])

    assert list(found) == slugs
    assert found[first.slug] == english  # no published Albanian text: the next language's
    assert found[second.slug] == "Pyetja e re?"  # the newest version
    assert content.faqs_in_category(CATEGORY, ["xx"]) == {slug: slug for slug in slugs}
