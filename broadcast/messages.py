"""What a recipient of an announcement reads: the editor's text, the linked event, its buttons.

The sender, the admin preview and the test-send all render through here, so the preview shows
exactly what goes out.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from content.texts import published
from dialogue import format as fmt
from dialogue.replies import Reply
from render.telegram import Message, render
from storage.content import Event
from storage.subscriptions import Announcement


def sendable(announcement: Announcement) -> dict[str, str]:
    """The texts that may go out: written, and published (a text without a status is)."""
    readable = published(announcement.texts, announcement.statuses)
    return {language: text for language, text in readable.items() if text.strip()}


def compose(text: str, language: str, event: Event | None, fallbacks: Sequence[str]) -> Reply:
    """One language's copy: the text, then the event it is about with its "remind me" button."""
    if event is None:
        return Reply(text, language)
    chain = list(dict.fromkeys([language, *fallbacks]))
    body = f"{text}\n\n{fmt.event(event, chain)}"
    return Reply(body, language, [fmt.remind_button(event, chain)])


def texts(
    session: Session,
    announcement: Announcement,
    fallbacks: Sequence[str],
    everything: bool = False,
) -> dict[str, Reply]:
    """The copies per language: the sendable ones, or every written one (for the preview)."""
    event = session.get(Event, announcement.event_id) if announcement.event_id else None
    chosen = announcement.texts if everything else sendable(announcement)
    return {
        language: compose(text, language, event, fallbacks)
        for language, text in chosen.items()
        if text.strip()
    }


def messages(
    session: Session, announcement: Announcement, fallbacks: Sequence[str]
) -> dict[str, list[Message]]:
    """The Telegram messages of each sendable language."""
    return {
        language: render(reply)
        for language, reply in texts(session, announcement, fallbacks).items()
    }
