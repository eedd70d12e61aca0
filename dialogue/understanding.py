"""What a message is about: Rasa when it answers in time, full-text search when it does not."""

from __future__ import annotations

import enum
import logging
import time
from dataclasses import dataclass, field
from typing import Protocol

from content.places import Gazetteer
from content.search import Hit
from nlu.client import NluUnavailable, Parse
from nlu.wire import FALLBACK_INTENT, RETRIEVAL_INTENT
from shared import metrics
from shared.vocabulary import (
    CATEGORIES,
    CONVERSATION,
    COURTESIES,
    FOLLOW_UP_INTENT,
    OUT_OF_SCOPE,
)

log = logging.getLogger(__name__)
# After a failure, search answers alone for this long before Rasa is tried again, so an outage
# costs one timeout, not one per message.
RETRY_AFTER_SECONDS = 5.0


class Decision(enum.StrEnum):
    """What the bot does with a question: answer it, ask which FAQ it means, or decline it."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    DECLINE = "decline"


# "Is your question one of these?" offers at most this many FAQs.
MAX_OPTIONS = 4


class Nlu(Protocol):
    """Anything that parses a message like Rasa's `/model/parse` (the real client or a fake)."""

    async def parse(self, text: str) -> Parse: ...


class Content(Protocol):
    """The part of the content base understanding needs."""

    def faq_category(self, slug: str) -> str | None: ...

    def search(self, text: str, limit: int = 3) -> list[Hit]: ...


@dataclass(frozen=True)
class Understanding:
    """The route for a message: an intent key (category or conversational), maybe an FAQ."""

    intent: str | None
    faq: str | None
    confidence: float
    engine: str  # "rasa" or "search"
    province: str | None = None
    suggestions: list[str] = field(default_factory=list)  # "faq/<slug>" or category keys
    similarity: float | None = None  # to the nearest training example of the label, from Rasa
    lead: float | None = None  # search's score over the best one of another answer

    @property
    def category(self) -> str | None:
        """The category key, or the conversational key, this message belongs to."""
        return self.intent


def _target_intent(target: str, content: Content) -> tuple[str | None, str | None]:
    if target.startswith("faq/"):
        slug = target.removeprefix("faq/")
        return content.faq_category(slug), slug
    return target, None


class Understander:
    """Routes a message with Rasa, falling back to search, and finds the place it names."""

    def __init__(
        self,
        nlu: Nlu,
        content: Content,
        places: Gazetteer,
        threshold: float,
        search_threshold: float,
        similarity_threshold: float,
        clarify_threshold: float = 1.0,
        clarify_similarity: float = 1.0,
        search_lead: float = 0.0,
    ) -> None:
        self.nlu = nlu
        self.content = content
        self.places = places
        self.threshold = threshold
        self.search_threshold = search_threshold
        self.similarity_threshold = similarity_threshold
        self.clarify_threshold = clarify_threshold
        self.clarify_similarity = clarify_similarity
        self.search_lead = search_lead
        self.down_since: float | None = None

    async def understand(self, text: str) -> Understanding:
        """Route one cleaned message; never raises because the NLU server is down."""
        if (
            self.down_since is not None
            and time.monotonic() - self.down_since < RETRY_AFTER_SECONDS
        ):
            return self._from_search(text)
        try:
            with metrics.NLU_SECONDS.time():
                parse = await self.nlu.parse(self.places.without(text))
        except NluUnavailable as exc:
            metrics.NLU_UNAVAILABLE.inc()
            if self.down_since is None:
                log.warning("NLU server unavailable (%s): answering with full-text search", exc)
            self.down_since = time.monotonic()
            return self._from_search(text)
        if self.down_since is not None:
            log.warning("NLU server is back: answering with Rasa again")
            self.down_since = None
        return self._from_parse(parse, text)

    def _province(self, text: str) -> str | None:
        place = self.places.find(text)
        return place.province if place is not None else None

    def _from_parse(self, parse: Parse, text: str) -> Understanding:
        province = self._province(text)
        faqs = parse.faq_ranking[:MAX_OPTIONS] if parse.faq else []
        suggestions = [f"faq/{slug}" for slug, _ in faqs]
        suggestions += [name for name, _ in parse.ranking if name in CATEGORIES]
        if parse.intent == RETRIEVAL_INTENT and parse.faq:
            # Both must be sure: the FAQ family and the FAQ within it.
            confidence = parse.confidence * parse.faq_confidence
            return Understanding(
                self.content.faq_category(parse.faq),
                parse.faq,
                confidence,
                "rasa",
                province,
                suggestions,
                parse.similarity,
            )
        if parse.intent in CATEGORIES or parse.intent in CONVERSATION:
            confidence = parse.confidence
            if parse.intent in COURTESIES:
                # Sure it is a courtesy, whichever ("ciao" is hello and goodbye): either reply
                # is harmless, so the courtesies' confidences count together.
                confidence = sum(c for name, c in parse.ranking if name in COURTESIES)
            return Understanding(
                parse.intent,
                None,
                confidence,
                "rasa",
                province,
                suggestions,
                parse.similarity,
            )
        # Rasa's own fallback: keep the runner-up intent as the guess.
        runner_up = next((n for n, _ in parse.ranking if n != FALLBACK_INTENT), None)
        guess, faq = (
            (self.content.faq_category(parse.faq), parse.faq)
            if runner_up == RETRIEVAL_INTENT and parse.faq
            else (runner_up, None)
        )
        if guess not in CATEGORIES and guess not in CONVERSATION:
            guess = None
        confidence = next((c for n, c in parse.ranking if n == runner_up), 0.0)
        if faq:
            confidence *= parse.faq_confidence
        return Understanding(
            guess,
            faq,
            min(confidence, self.threshold * 0.99),
            "rasa",
            province,
            suggestions,
            parse.similarity,
        )

    def _from_search(self, text: str) -> Understanding:
        province = self._province(text)
        hits = self.content.search(text, limit=5)
        if not hits:
            return Understanding(None, None, 0.0, "search", province)
        intent, faq = _target_intent(hits[0].target, self.content)
        rivals = [hit.score for hit in hits[1:] if self._rival(hit, intent, faq)]
        lead = hits[0].score - max(rivals, default=0.0)
        targets = [hit.target for hit in hits[:MAX_OPTIONS]]
        return Understanding(intent, faq, hits[0].score, "search", province, targets, lead=lead)

    def _rival(self, hit: Hit, intent: str | None, faq: str | None) -> bool:
        """Whether a hit would give another answer: another FAQ, or another intent's."""
        other_intent, other_faq = _target_intent(hit.target, self.content)
        return other_faq != faq if other_faq is not None else other_intent != intent

    def confident(self, understanding: Understanding) -> bool:
        """Whether to answer directly rather than offer suggestions."""
        if understanding.engine == "rasa":
            return understanding.intent is not None and understanding.confidence >= self.threshold
        return self._close(understanding) and not self._tied(understanding)

    def _close(self, understanding: Understanding) -> bool:
        """Whether search found a target sharing enough of the message's words."""
        found = understanding.intent is not None
        return found and understanding.confidence >= self.search_threshold

    def _tied(self, understanding: Understanding) -> bool:
        """Whether search's best target leads the next by too little to tell them apart."""
        return understanding.lead is not None and understanding.lead < self.search_lead

    def familiar(self, understanding: Understanding) -> bool:
        """Whether the message is close enough to what its label was trained on to be covered."""
        similarity = understanding.similarity
        return similarity is None or similarity >= self.similarity_threshold

    def answers(self, understanding: Understanding) -> bool:
        """Whether the bot answers it: confident, like what it learnt, and not out of scope."""
        return (
            self.confident(understanding)
            and self.familiar(understanding)
            and not self.uncovered(understanding)
        )

    @staticmethod
    def follows(understanding: Understanding) -> bool:
        """Whether the message names no topic of its own: it leans on the one before."""
        return understanding.intent == FOLLOW_UP_INTENT

    @staticmethod
    def uncovered(understanding: Understanding) -> bool:
        """Whether the message names a topic of its own that the content does not cover."""
        return understanding.intent == OUT_OF_SCOPE

    def options(self, understanding: Understanding) -> list[str]:
        """The FAQs a "which one?" reply offers, likeliest first."""
        return [
            target.removeprefix("faq/")
            for target in understanding.suggestions
            if target.startswith("faq/")
        ][:MAX_OPTIONS]

    def clarifies(self, understanding: Understanding) -> bool:
        """Whether to ask "is it one of these?": near covered content, no single FAQ sure."""
        if understanding.engine == "search":
            return (
                self._close(understanding)
                and self._tied(understanding)
                and len(self.options(understanding)) >= 2
            )
        similarity = understanding.similarity
        return (
            understanding.intent in CATEGORIES
            and understanding.confidence >= self.clarify_threshold
            and (similarity is None or similarity >= self.clarify_similarity)
            and len(self.options(understanding)) >= 2
        )

    def decide(self, understanding: Understanding) -> Decision:
        """Answer, ask which one, or decline: a guess under the answer point is never an answer."""
        if self.answers(understanding):
            return Decision.ANSWER
        if self.clarifies(understanding):
            return Decision.CLARIFY
        return Decision.DECLINE
