"""Wiring: one place that builds the dialogue core from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from content.cached import CachedContent, CachedVoices, ContentCache
from content.offices import office_kinds
from content.places import gazetteer
from content.repository import ContentRepository
from content.voice import VoiceNotes, voice_notes
from dialogue.chats import Chats
from dialogue.core import Dialogue
from dialogue.language import LanguageDetector
from dialogue.understanding import Nlu, Understander
from nlu.client import RasaClient
from nlu.risk import RiskCheck, risk_model
from shared.settings import Settings
from storage.db import make_engine, make_sessionmaker
from storage.migrate import check_current


@dataclass
class App:
    """The parts a front end needs; close it to release connections."""

    engine: Engine
    sessions: sessionmaker[Session]
    rasa: RasaClient
    dialogue: Dialogue

    def chats(self) -> Chats:
        """The core per chat, over this database: what every front end talks to."""
        return Chats(self.dialogue, self.sessions)

    async def aclose(self) -> None:
        """Release the HTTP pool and the database connections."""
        await self.rasa.aclose()
        self.engine.dispose()


def build_dialogue(
    settings: Settings, sessions: sessionmaker[Session], nlu: Nlu, record: bool = True
) -> Dialogue:
    """The dialogue core over a database and an NLU (the real Rasa client or a test double).

    `record` False: traffic that is not users' leaves no analytics, votes or inbox rows, and
    reads the content afresh.
    """
    repository = ContentRepository(sessions)
    voices = voice_notes(settings, sessions)
    # Users' traffic reuses what it read; staff's "try the bot" shows an edit at once.
    seconds = settings.content.cache_seconds if record else 0
    content: ContentRepository | CachedContent = repository
    spoken: VoiceNotes | CachedVoices = voices
    if seconds:
        cache = ContentCache(seconds, repository.version)
        content, spoken = CachedContent(repository, cache), CachedVoices(voices, cache)
    understander = Understander(
        nlu,
        content,
        gazetteer(),
        settings.nlu.confidence_threshold,
        settings.search.min_score,
        settings.nlu.similarity_threshold,
        settings.nlu.clarify_confidence,
        settings.nlu.clarify_similarity,
        settings.search.min_lead,
    )
    detector = LanguageDetector(tuple(settings.languages))
    risk = RiskCheck(
        risk_model(settings.path(settings.nlu.models_dir)),
        settings.risk.threshold,
        settings.risk.alarm_threshold,
    )
    return Dialogue(
        understander, content, detector, settings, office_kinds(), risk, spoken, record
    )


def build_app(settings: Settings, record: bool = True) -> App:
    """Database, Rasa client and dialogue core as configured (`record`: see build_dialogue)."""
    engine = make_engine(settings.database_url)
    check_current(engine)
    sessions = make_sessionmaker(engine)
    rasa = RasaClient(settings.nlu.url, settings.nlu.timeout_seconds)
    return App(engine, sessions, rasa, build_dialogue(settings, sessions, rasa, record))
