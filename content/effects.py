"""What a turn leaves for the mediators besides the chat's state: counts, votes, inbox questions.

The dialogue core lists them in its turn and writes nothing; the door every front end uses
(`dialogue/chats.py`) applies them with the chat's state, in one transaction, off the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from content import inbox
from shared.clock import today
from storage.users import Feedback


@dataclass(frozen=True)
class Count:
    """A question counted by its route for the analytics: no text, no user."""

    language: str
    category: str
    engine: str
    answered: bool


@dataclass(frozen=True)
class Rating:
    """A 👍 or 👎 on an answer: the topic and language only, never who gave it."""

    topic: str
    language: str
    helpful: bool


@dataclass(frozen=True)
class Unanswered:
    """A question for the inbox. `own_words`: the user's message, kept with their chat (when it
    agreed to the notice) only so that /deletedata deletes it; else an FAQ's question."""

    text: str
    language: str
    category: str | None
    topic: str | None = None
    own_words: bool = False


Effect = Count | Rating | Unanswered


def apply(session: Session, effects: Sequence[Effect], asker: int | None, now: datetime) -> None:
    """Write a turn's effects in the session's transaction; `asker` is a chat that agreed."""
    for effect in effects:
        match effect:
            case Count(language, category, engine, answered):
                inbox.count_message(session, today(), language, category, engine, answered)
            case Rating(topic, language, helpful):
                session.add(
                    Feedback(topic=topic, language=language, helpful=helpful, created_at=now)
                )
            case Unanswered(text, language, category, topic, own_words):
                linked = asker if own_words else None
                inbox.add_question(session, text, language, category, topic, now, linked)
