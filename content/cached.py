"""The content as the bot reads it for users: each answer kept until the content changes.

Every turn read its FAQ, offices and buttons again, a statement each. Every edit saved in the
admin tool writes an entry in its audit log: the bot asks for the log's newest entry at most
every `content.cache_seconds` and forgets what it read when it moved, so an edit reaches users
within that time, at one statement per period for the whole process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from typing import TypeVar, cast

from cachetools import TTLCache

from content.repository import ContentRepository, FaqAnswer, FaqDesks
from content.search import Hit
from content.voice import VoiceNote, VoiceNotes
from storage.content import Course, Event, Service

T = TypeVar("T")
# Far more than the content's FAQs, offices and languages ask for.
MAX_ENTRIES = 20_000
# A change made outside the admin tool (a seed loaded into a running system) is read after this.
LONGEST_SECONDS = 600.0


class ContentCache:
    """Answers of the content's reads, kept until the audit log moves (checked every
    `seconds`), and never longer than `LONGEST_SECONDS`.

    Turns run in worker threads: one lock guards the cache (the database is read outside it).
    """

    def __init__(self, seconds: float, version: Callable[[], int | None]) -> None:
        self.seconds = seconds
        self.version = version
        self._cache: TTLCache[Hashable, object] = TTLCache(MAX_ENTRIES, LONGEST_SECONDS)
        self._lock = threading.Lock()
        self._checked = -float("inf")
        self._seen: int | None = None

    def read(self, read: Callable[..., T], *args: Hashable) -> T:
        """`read(*args)`, or what it gave last time if the content has not changed since."""
        self._refresh()
        key = (read.__name__, *args)
        with self._lock:
            if key in self._cache:
                return cast(T, self._cache[key])
        found = read(*args)
        with self._lock:
            self._cache[key] = found
        return found

    def _refresh(self) -> None:
        """Forget everything when an edit was saved since the last look (one thread looks)."""
        now = time.monotonic()
        with self._lock:
            if now - self._checked < self.seconds:
                return
            self._checked = now
        version = self.version()
        with self._lock:
            if version != self._seen:
                self._cache.clear()
                self._seen = version


class CachedContent:
    """`ContentRepository`'s reads through a `ContentCache`. Lists and dicts come as copies, so
    a caller's change stays its own."""

    def __init__(self, repository: ContentRepository, cache: ContentCache) -> None:
        self.repository = repository
        self._read = cache.read

    def faq_category(self, slug: str) -> str | None:
        """Category key of an FAQ, or None when the slug is unknown."""
        return self._read(self.repository.faq_category, slug)

    def faq_answer(self, slug: str, languages: Sequence[str]) -> FaqAnswer | None:
        """The FAQ in the first of `languages` that has a published text."""
        return self._read(self.repository.faq_answer, slug, tuple(languages))

    def faq_desks(self, slug: str, languages: Sequence[str]) -> FaqDesks | None:
        """An FAQ's desk cards in `languages`."""
        return self._read(self.repository.faq_desks, slug, tuple(languages))

    def faq_questions(self, slugs: Sequence[str], languages: Sequence[str]) -> dict[str, str]:
        """Each FAQ's question in the first of `languages` having it."""
        return dict(self._read(self.repository.faq_questions, tuple(slugs), tuple(languages)))

    def faqs_in_category(self, category: str, languages: Sequence[str]) -> dict[str, str]:
        """A category's FAQs in a stable order, each with its question."""
        return dict(self._read(self.repository.faqs_in_category, category, tuple(languages)))

    def services(self, category: str, province: str | None) -> list[Service]:
        """Services of a category in a province, national ones included."""
        return list(self._read(self.repository.services, category, province))

    def services_of_kinds(self, kinds: Sequence[str], province: str | None) -> list[Service]:
        """Offices of these kinds in a province and national ones."""
        return list(self._read(self.repository.services_of_kinds, tuple(kinds), province))

    def service(self, slug: str) -> Service | None:
        """One office, for its whole card."""
        return self._read(self.repository.service, slug)

    def courses(self, province: str | None) -> list[Course]:
        """Italian courses, in a province when one is given."""
        return list(self._read(self.repository.courses, province))

    def towns(self, province: str) -> list[str]:
        """Comuni of a province that have offices, those with the most first."""
        return list(self._read(self.repository.towns, province))

    def events(self, province: str | None, after: datetime) -> list[Event]:
        """Coming events, read afresh: they end by the minute."""
        return self.repository.events(province, after)

    def nearest(
        self, latitude: float, longitude: float, category: str | None, limit: int
    ) -> list[tuple[Service, float]]:
        """Offices nearest a shared point, read afresh: points are seldom the same twice."""
        return self.repository.nearest(latitude, longitude, category, limit)

    def search(self, text: str, limit: int = 3) -> list[Hit]:
        """Full-text search, read afresh: each message is its own."""
        return self.repository.search(text, limit)


class CachedVoices:
    """The voice notes, with which languages speak read through the `ContentCache` (the admin
    tool's Voices page audits each switch)."""

    def __init__(self, voices: VoiceNotes, cache: ContentCache) -> None:
        self.voices = voices
        self._read = cache.read

    def speaks(self, language: str) -> bool:
        """Whether answers in `language` get a "🔊 Listen" button."""
        return language in self._read(self.voices.on)

    def faq(self, slug: str, language: str) -> VoiceNote | None:
        """The FAQ spoken (made on the first tap, then kept as a file)."""
        return self.voices.faq(slug, language)

    def office(self, slug: str, text: str, language: str) -> VoiceNote:
        """An office's card spoken."""
        return self.voices.office(slug, text, language)
