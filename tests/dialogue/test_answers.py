""" "🔊 Listen" under an answer: only in the user's own language, only where its voice is on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from dialogue.app import build_dialogue
from dialogue.payloads import Listen, encode
from shared.settings import Settings
from shared.vocabulary import LANGUAGES
from storage.content import Faq, TranslationStatus
from storage.voices import VoiceSwitch, switch_voice
from testbed.fakes import FakeNlu

SLUG = "permit_renewal"
LISTEN = encode(Listen(SLUG))


def listen_shown(settings: Settings, seeded: sessionmaker[Session], language: str) -> bool:
    reply = build_dialogue(settings, seeded, FakeNlu()).answers.faq_replies(SLUG, language, None)[
        0
    ]
    return LISTEN in [button.payload for button in reply.buttons]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_button_follows_the_configured_voices(
    settings: Settings, seeded: sessionmaker[Session], language: str
) -> None:
    assert listen_shown(settings, seeded, language) == (language in settings.voice.languages)


def test_a_mediators_switch_wins_over_the_configuration(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    assert "ar" not in settings.voice.languages and "it" in settings.voice.languages
    with seeded.begin() as session:
        switch_voice(session, "ar", True, datetime.now(UTC))
        switch_voice(session, "it", False, datetime.now(UTC))
    try:
        assert listen_shown(settings, seeded, "ar") and not listen_shown(settings, seeded, "it")
    finally:
        with seeded.begin() as session:
            session.execute(delete(VoiceSwitch))


def test_no_button_under_an_answer_in_another_language(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    """An answer shown in English to an Albanian reader is not read aloud in English."""
    with seeded.begin() as session:
        for t in session.scalars(select(Faq).where(Faq.slug == SLUG)).one().translations:
            if t.language == "sq":
                t.status = TranslationStatus.DRAFT
    try:
        assert not listen_shown(settings, seeded, "sq")
    finally:
        with seeded.begin() as session:
            for t in session.scalars(select(Faq).where(Faq.slug == SLUG)).one().translations:
                t.status = TranslationStatus.PUBLISHED
