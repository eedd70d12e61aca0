"""What the dialogue core reads from the content base (a Protocol, so tests may pass a fake);
what it records goes in its turn (`content/effects.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from content.repository import FaqAnswer, FaqDesks
from content.voice import VoiceNote
from storage.content import Course, Event, Service


class ContentBase(Protocol):
    """What the core reads from the content base."""

    def faq_category(self, slug: str) -> str | None: ...

    def faq_answer(self, slug: str, languages: Sequence[str]) -> FaqAnswer | None: ...

    def faq_desks(self, slug: str, languages: Sequence[str]) -> FaqDesks | None: ...

    def faq_questions(self, slugs: Sequence[str], languages: Sequence[str]) -> dict[str, str]: ...

    def faqs_in_category(self, category: str, languages: Sequence[str]) -> dict[str, str]: ...

    def services(self, category: str, province: str | None) -> list[Service]: ...

    def services_of_kinds(self, kinds: Sequence[str], province: str | None) -> list[Service]: ...

    def service(self, slug: str) -> Service | None: ...

    def courses(self, province: str | None) -> list[Course]: ...

    def events(self, province: str | None, after: datetime) -> list[Event]: ...

    def towns(self, province: str) -> list[str]: ...

    def nearest(
        self, latitude: float, longitude: float, category: str | None, limit: int
    ) -> list[tuple[Service, float]]: ...


class Voices(Protocol):
    """Voice notes of the answers, and the languages whose voice is on (`content/voice.py`)."""

    def speaks(self, language: str) -> bool: ...

    def faq(self, slug: str, language: str) -> VoiceNote | None: ...

    def office(self, slug: str, text: str, language: str) -> VoiceNote: ...
