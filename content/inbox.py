"""What the bot keeps for the mediators: unanswered questions and message counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.inbox import InboxQuestion
from storage.users import MessageCount

# Longer texts are cut: enough for a mediator to understand the question, no more.
MAX_TEXT = 500


def count_message(
    session: Session, day: date, language: str, category: str, engine: str, answered: bool
) -> None:
    """Add one to the day's counter of this route, atomically on both backends."""
    values = {
        "day": day,
        "language": language,
        "category": category,
        "engine": engine,
        "answered": answered,
        "count": 1,
    }
    keys = ["day", "language", "category", "engine", "answered"]
    # Both dialects speak INSERT ... ON CONFLICT DO UPDATE; two bot processes never lose a count.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(MessageCount).values(values)
    statement: Insert = insert.on_conflict_do_update(
        index_elements=keys, set_={"count": MessageCount.count + 1}
    )
    session.execute(statement)


def add_question(
    session: Session,
    text: str,
    language: str,
    category: str | None,
    topic: str | None,
    now: datetime,
    asker: int | None = None,
) -> None:
    """Keep a question for the inbox: its text, language and the bot's guess, linked to the
    asker's chat (when given) only so that it goes with the chat's data."""
    session.add(
        InboxQuestion(
            text=text[:MAX_TEXT],
            language=language,
            category=category,
            topic=topic,
            created_at=now,
            chat_id=asker,
        )
    )
