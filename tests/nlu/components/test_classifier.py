"""The classifier in the real Rasa server: the sentence encoder runs only when it is needed."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.repository import published_translations
from storage.content import Faq, IntentExamples


async def parse_all(url: str, texts: list[str]) -> list[dict[str, Any]]:
    """Rasa's raw `/model/parse` answers, which carry `encoder_used`."""
    async with httpx.AsyncClient(timeout=30) as http:
        return [
            (await http.post(f"{url}/model/parse", json={"text": text})).raise_for_status().json()
            for text in texts
        ]


async def test_many_faq_questions_are_answered_from_their_words(
    rasa_url: str, seeded: sessionmaker[Session]
) -> None:
    with seeded() as session:
        asked = [
            (faq.slug, translation.question)
            for faq in session.scalars(select(Faq))
            for translation in published_translations(faq).values()
        ]
    bodies = await parse_all(rasa_url, [question for _, question in asked])
    from_words = [
        (slug, body)
        for (slug, _), body in zip(asked, bodies, strict=True)
        if not body["encoder_used"]
    ]
    # Cheaper for the questions written down, and still the right FAQ, with no similarity to
    # report because no embedding was made.
    assert len(from_words) >= 0.3 * len(asked)
    right = sum(
        body["response_selector"]["faq"]["response"]["intent_response_key"] == f"faq/{slug}"
        for slug, body in from_words
    )
    assert right >= 0.98 * len(from_words)
    assert all("label_similarity" not in body for _, body in from_words)


async def test_anything_read_as_uncovered_gets_the_encoder_and_a_similarity(
    rasa_url: str, seeded: sessionmaker[Session]
) -> None:
    with seeded() as session:
        texts = [
            text
            for row in session.scalars(
                select(IntentExamples).where(IntentExamples.intent == "out_of_scope")
            )
            for text in row.examples[:2]
        ]
    bodies = await parse_all(rasa_url, texts)
    uncovered = [body for body in bodies if body["intent"]["name"] == "out_of_scope"]
    assert len(uncovered) >= 0.8 * len(texts)
    assert all(body["encoder_used"] and "label_similarity" in body for body in uncovered)
