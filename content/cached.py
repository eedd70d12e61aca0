"""The content as the bot reads it for users: each answer kept for a few seconds.

Every turn read its FAQ, offices and buttons again, a statement each; the content changes only
when a mediator saves an edit, which reaches the bot within `content.cache_seconds`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from typing import TypeVar

from cachetools import TTLCache

from content.repository import ContentRepository, FaqAnswer, FaqDesks
from content.search import Hit
from storage.content import Course, Event, Service

T = TypeVar("T")
# Far more than the content's FAQs, offices and languages ask for.
MAX_ENTRIES = 20_000


class CachedContent:
    """`ContentRepository`'s reads, each answer reused until it is `seconds` old.

    Turns run in worker threads: one lock guards the cache (a read of the database happens
    outside it). Lists and dicts come as copies, so a caller's change stays its own.
    """

    def __init__(self, repository: ContentRepository, seconds: float) -> None:
        self.repository = repository
        self._cache: TTLCache[Hashable, object] = TTLCache(MAX_ENTRIES, seconds)
        self._lock = threading.Lock()

    def _read(self, read: Callable[..., T], *args: Hashable) -> T:
        key = (read.__name__, *args)
        with self._lock:
            if key in self._cache:
                return self._cache[key]  # type: ignore[return-value]
        found = read(*args)
        with self._lock:
            self._cache[key] = found
        return found

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
