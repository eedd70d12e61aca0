"""The dialogue core with the real Rasa server: all ten languages, and Rasa dying mid-run."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from content.repository import published_translations
from dialogue import understanding
from dialogue.app import build_dialogue
from dialogue.core import Dialogue
from dialogue.understanding import Decision
from nlu.client import RasaClient
from shared.settings import Settings
from shared.vocabulary import LANGUAGES
from storage.content import Faq
from storage.users import UserState
from testbed.rasa import rasa_server
from tests.support.content import shown_first


def questions(seeded: sessionmaker[Session], language: str) -> dict[str, tuple[str, str]]:
    with seeded() as session:
        faqs = session.scalars(select(Faq).options(selectinload(Faq.translations)))
        return {
            f.slug: (
                published_translations(f)[language].question,
                shown_first(published_translations(f)[language]),
            )
            for f in faqs
        }


@pytest.mark.parametrize("language", LANGUAGES)
async def test_faqs_answered_in_every_language(
    dialogue: Dialogue, seeded: sessionmaker[Session], language: str
) -> None:
    outcomes: Counter[str] = Counter()
    for slug, (question, answer) in questions(seeded, language).items():
        turn = await dialogue.handle_text(UserState(language), question)
        assert turn.understanding is not None and turn.understanding.engine == "rasa"
        if turn.understanding.faq == slug and answer in turn.replies[-1].text:
            outcomes["right"] += 1
        outcomes["all"] += 1
    assert outcomes["right"] / outcomes["all"] >= 0.9, outcomes


@pytest.mark.parametrize(
    ("text", "language", "category", "province"),
    [
        ("corso di italiano ad Ancona", "it", "language_courses", "AN"),
        ("questura macerata", "it", "residence_permit", "MC"),
        ("مرحبا", "ar", "greeting", None),
        ("谢谢", "zh", "thanks", None),
        ("хочу поговорити з людиною", "uk", "human", None),
    ],
)
async def test_categories_and_conversation(
    dialogue: Dialogue, text: str, language: str, category: str, province: str | None
) -> None:
    turn = await dialogue.handle_text(UserState(language), text)
    assert turn.understanding is not None
    assert turn.understanding.category == category
    assert turn.understanding.province == province
    assert turn.replies[-1].language == language


async def test_rasa_stopped_mid_run_falls_back_to_search_then_comes_back(
    settings: Settings,
    seeded: sessionmaker[Session],
    rasa_model: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = list(questions(seeded, "bn").items())[:6]
    with rasa_server(settings, rasa_model) as (url, process):
        client = RasaClient(url, settings.nlu.timeout_seconds)
        core = build_dialogue(settings, seeded, client)
        first = await core.handle_text(UserState("bn"), asked[0][1][0])
        assert first.understanding is not None and first.understanding.engine == "rasa"
        process.kill()
        process.wait()
        decided = []
        for slug, (question, answer) in asked[1:]:
            started = time.monotonic()
            turn = await core.handle_text(UserState("bn"), question)
            assert time.monotonic() - started < 2.0, "a dead server costs no timeout"
            assert turn.understanding is not None and turn.understanding.engine == "search"
            assert turn.understanding.faq == slug
            if turn.decision is Decision.ANSWER:
                assert answer in turn.replies[-1].text
            else:  # another FAQ shares the question's words: asked, this one first
                assert turn.decision is Decision.CLARIFY and turn.offered[0] == f"faq/{slug}"
            decided.append(turn.decision)
        assert Decision.ANSWER in decided, "search alone still answers"
        monkeypatch.setattr(understanding, "RETRY_AFTER_SECONDS", 0.0)
        with rasa_server(settings, rasa_model, url):
            back = await core.handle_text(UserState("bn"), asked[0][1][0])
            assert back.understanding is not None and back.understanding.engine == "rasa"
        await client.aclose()
