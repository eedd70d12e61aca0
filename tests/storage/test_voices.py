"""A mediator's choice of voices outlasts `config.yml`'s default, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from shared.vocabulary import LANGUAGES
from storage.voices import switch_voice, voices_on


def test_switches_override_the_default(sessions: sessionmaker[Session]) -> None:
    default = ["it", "en"]
    with sessions() as session:
        assert voices_on(session, LANGUAGES, default) == ["it", "en"]
    with sessions.begin() as session:
        switch_voice(session, "ar", True, datetime.now(UTC))
        switch_voice(session, "en", False, datetime.now(UTC))
    with sessions.begin() as session:
        switch_voice(session, "ar", False, datetime.now(UTC))
        switch_voice(session, "ar", True, datetime.now(UTC))
    with sessions() as session:
        assert voices_on(session, LANGUAGES, default) == ["it", "ar"]
