"""Talk to a person: a conversation between a user and the mediators, ticket by ticket.

The core keeps the conversation's state machine (asked for, open, closed) and its rules; a front
end only delivers, through its `Desk`: Telegram's is the mediators' group. The mediators see a
ticket number, the user's language and province; the user sees "a mediator". A voice note goes
as a copy the front end makes: the bot never downloads or keeps it.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from content.text import clean
from dialogue import handoff
from dialogue.core import Dialogue, Turn
from dialogue.privacy import picker
from dialogue.replies import Reply
from shared.clock import now
from shared.settings import HandoffSettings
from storage.handoff import HandoffTicket, TicketStatus, TicketStore
from storage.users import UserState, UserStore

CLOSE_COMMAND = "/close"


class Desk(Protocol):
    """Where and when the mediators read, as a front end reaches them, and the users' chats."""

    hours: HandoffSettings

    async def post(self, reply: Reply, reply_to: int | None = None) -> list[int]:
        """Post to the mediators, in the thread of `reply_to`; the ids of the messages made."""
        ...

    async def copy(self, chat_id: int, message_id: int, said: Reply, reply_to: int | None) -> int:
        """Copy a message of the user's own chat to the mediators, `said` as its caption."""
        ...

    async def send(self, chat_id: int, replies: list[Reply]) -> None:
        """Send replies to a user's chat."""
        ...


class GoneError(Exception):
    """The message to copy is not there any more (the user deleted it)."""


def _root(ticket: HandoffTicket) -> int | None:
    """The ticket's first message to the mediators: the thread the rest answers."""
    return min(ticket.messages, key=lambda m: m.id).group_message_id if ticket.messages else None


class Relay:
    """The handoff's rules over the tickets: who writes to whom, when a conversation ends."""

    def __init__(self, dialogue: Dialogue, tickets: TicketStore, users: UserStore) -> None:
        self.dialogue = dialogue
        self.tickets = tickets
        self.users = users
        # The mediators read in the region's language.
        self.language = dialogue.settings.default_language

    async def wrote(self, chat_id: int, text: str, desk: Desk) -> list[Reply] | None:
        """Relay a message of a chat talking to a person; None when it talks to the bot."""
        ticket = await asyncio.to_thread(self.tickets.live, chat_id)
        if ticket is None:
            return None
        return await self._post(ticket, text, desk)

    async def replies(self, chat_id: int, turn: Turn, desk: Desk) -> list[Reply]:
        """A turn's replies; when the user asked for a person, the conversation's."""
        if turn.handoff is None:
            return turn.replies
        state = await asyncio.to_thread(self.users.load, chat_id)
        if state is None:  # a ticket keeps the chat id: first the notice and its consent
            return [*turn.replies, picker(self.dialogue.settings.languages, turn.language)]
        state.language = turn.language
        ticket = await asyncio.to_thread(self.tickets.request, chat_id, state, now())
        if turn.handoff.text is None or ticket.status is not TicketStatus.REQUESTED:
            category = turn.handoff.category
            return handoff.asked(self.dialogue, turn.language, category, desk.hours, now())
        return await self._post(ticket, turn.handoff.text, desk)

    async def _post(self, ticket: HandoffTicket, text: str, desk: Desk) -> list[Reply]:
        """Copy the user's words to the mediators: the first opens the thread, the rest answer
        it."""
        words = clean(text) or text
        if ticket.status is TicketStatus.REQUESTED:
            first = handoff.group_request(
                self.language, ticket.id, ticket.language, ticket.province, words
            )
            posted = await desk.post(first)
        else:
            followup = handoff.group_followup(ticket.id, words, self.language)
            posted = await desk.post(followup, _root(ticket))
        return await self._posted(ticket, posted, desk)

    async def _posted(self, ticket: HandoffTicket, posted: list[int], desk: Desk) -> list[Reply]:
        """Note the mediators' messages of the ticket; the first one is confirmed to the user."""
        await asyncio.to_thread(self.tickets.posted, ticket.id, posted, now())
        if ticket.status is TicketStatus.OPEN:
            return []  # the conversation goes on: no need to confirm every message
        return handoff.sent(self.dialogue, ticket.language, None, ticket.id, desk.hours, now())

    async def voice(
        self, chat_id: int, message_id: int, caption: str | None, desk: Desk
    ) -> list[Reply] | None:
        """A voice note into the chat's live conversation; None when it has none."""
        ticket = await asyncio.to_thread(self.tickets.live, chat_id)
        if ticket is None:
            return None
        return await self._copy(ticket, chat_id, message_id, caption, desk)

    async def send_voice(
        self, chat_id: int, fallback: UserState, message_id: int, caption: str | None, desk: Desk
    ) -> tuple[list[Reply], bool]:
        """ "Send it to a mediator": the notice first, then a new or the live conversation gets
        the voice note. Whether it went, with what the user reads."""
        state = await asyncio.to_thread(self.users.load, chat_id)
        if state is None:  # a ticket keeps the chat id: first the notice and its consent
            return [picker(self.dialogue.settings.languages, fallback.language)], False
        new = await asyncio.to_thread(self.tickets.live, chat_id) is None
        ticket = await asyncio.to_thread(self.tickets.request, chat_id, state, now())
        try:
            return await self._copy(ticket, chat_id, message_id, caption, desk), True
        except GoneError:
            if new:
                await asyncio.to_thread(self.tickets.forget, ticket.id)
            return [handoff.voice_gone(self.dialogue, state.language)], False

    async def _copy(
        self,
        ticket: HandoffTicket,
        chat_id: int,
        message_id: int,
        caption: str | None,
        desk: Desk,
    ) -> list[Reply]:
        """Copy a voice note of the user's own chat, its heading as the caption: the first
        opens the thread (with the close button), the rest answer it."""
        words = handoff.group_voice(self.language, clean(caption or "") or None)
        root = _root(ticket)
        if ticket.status is TicketStatus.REQUESTED or root is None:
            said = handoff.group_request(
                self.language, ticket.id, ticket.language, ticket.province, words
            )
            root = None
        else:
            said = handoff.group_followup(ticket.id, words, self.language)
        copied = await desk.copy(chat_id, message_id, said, root)
        return await self._posted(ticket, [copied], desk)

    async def close_for_user(self, chat_id: int, desk: Desk | None) -> bool:
        """End the chat's live conversation and tell the mediators; False when there was none.

        Also before /deletedata: the mediators learn it ended before its ticket goes."""
        ticket = await asyncio.to_thread(self.tickets.live, chat_id)
        closed = await asyncio.to_thread(self.tickets.close, ticket.id, now()) if ticket else None
        if ticket is None or closed is None:
            return False
        root = _root(ticket)
        if desk is not None and root is not None:
            await desk.post(handoff.group_closed(ticket.id, self.language, by_user=True), root)
        return True

    async def mediator_wrote(
        self, answered_id: int, answered_text: str, text: str, own_id: int, desk: Desk
    ) -> None:
        """A mediator's reply (`own_id`) to the bot's message `answered_id` in their group: to
        the user, or /close; a reply to a closed conversation is said not to have arrived."""
        ticket = await asyncio.to_thread(self.tickets.by_group_message, answered_id)
        if ticket is None or ticket.status is not TicketStatus.OPEN:
            # A closed conversation, or one the user deleted (/deletedata).
            if ticket is not None or answered_text.startswith(handoff.TICKET_MARK):
                said = handoff.group_not_delivered(ticket.id if ticket else None, self.language)
                await desk.post(said, own_id)
            return
        words = text.split()
        if words and words[0].split("@")[0] == CLOSE_COMMAND:
            await self.close_by_mediator(ticket.id, own_id, desk)
            return
        await desk.send(ticket.chat_id, [handoff.from_mediator(ticket.language, text)])
        await asyncio.to_thread(self.tickets.touched, ticket.id, now())

    async def close_by_mediator(self, ticket_id: int, reply_to: int, desk: Desk) -> bool:
        """Close a live conversation, tell the user and the mediators; False when it was
        closed."""
        ticket = await asyncio.to_thread(self.tickets.close, ticket_id, now())
        if ticket is None:
            return False
        await desk.send(
            ticket.chat_id, [handoff.closed_by_mediator(self.dialogue, ticket.language)]
        )
        said = handoff.group_closed(ticket.id, self.language, by_user=False)
        await desk.post(said, reply_to)
        return True
