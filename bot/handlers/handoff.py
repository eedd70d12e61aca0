"""Talk to a person: the user's words go to the mediators' group, their replies come back.

The bot copies text both ways and never forwards: the group sees a ticket number, the user's
language and province; the user sees "a mediator". Updates from the group reach only this module.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Bot, Message, Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, ContextTypes, TypeHandler

from bot.context import Handler, Parts, send
from content.text import clean
from dialogue import handoff
from dialogue.core import Turn
from dialogue.payloads import CloseHandoff, decode, pressed
from dialogue.privacy import picker
from dialogue.replies import Reply
from storage.handoff import HandoffTicket, TicketStatus, TicketStore

CLOSE_COMMAND = "/close"


def _now() -> datetime:
    return datetime.now(UTC)


def _tickets(parts: Parts) -> TicketStore:
    return parts.chats.tickets


def _root(ticket: HandoffTicket) -> int | None:
    """The ticket's first message in the group: the thread the rest answers."""
    return min(ticket.messages, key=lambda m: m.id).group_message_id if ticket.messages else None


async def replies_for(parts: Parts, bot: Bot, chat_id: int, turn: Turn) -> list[Reply]:
    """A turn's replies; when the user asked for a person and the relay is on, the relay's."""
    settings = parts.settings.handoff
    if turn.handoff is None or settings.group_chat_id is None:
        return turn.replies
    state = parts.chats.users.load(chat_id)
    if state is None:  # a ticket keeps the chat id: first the notice and its consent
        return [*turn.replies, picker(parts.settings.languages, turn.language)]
    state.language = turn.language
    ticket = _tickets(parts).request(chat_id, state, _now())
    if turn.handoff.text is None or ticket.status is not TicketStatus.REQUESTED:
        category = turn.handoff.category
        return handoff.asked(parts.dialogue, turn.language, category, settings, _now())
    return await _post(parts, bot, ticket, turn.handoff.text, settings.group_chat_id)


async def user_wrote(parts: Parts, bot: Bot, chat_id: int, text: str) -> list[Reply] | None:
    """Relay a message of a chat talking to a person; None when it is not (the core answers)."""
    group = parts.settings.handoff.group_chat_id
    ticket = _tickets(parts).live(chat_id) if group is not None else None
    if group is None or ticket is None:
        return None
    return await _post(parts, bot, ticket, text, group)


async def _post(
    parts: Parts, bot: Bot, ticket: HandoffTicket, text: str, group: int
) -> list[Reply]:
    """Copy the user's words to the group: the first opens the thread, the rest answer it."""
    language = parts.settings.default_language
    words = clean(text) or text
    if ticket.status is TicketStatus.REQUESTED:
        first = handoff.group_request(language, ticket.id, ticket.language, ticket.province, words)
        posted = await send(bot, group, [first])
    else:
        followup = handoff.group_followup(ticket.id, words, language)
        posted = await send(bot, group, [followup], reply_to=_root(ticket))
    _tickets(parts).posted(ticket.id, [m.message_id for m in posted], _now())
    if ticket.status is TicketStatus.OPEN:
        return []  # the conversation goes on: no need to confirm every message
    return handoff.sent(
        parts.dialogue, ticket.language, None, ticket.id, parts.settings.handoff, _now()
    )


async def close_for_user(parts: Parts, bot: Bot, chat_id: int) -> bool:
    """End the chat's live conversation and tell the group; False when there was none."""
    tickets = _tickets(parts)
    ticket = tickets.live(chat_id)
    closed = tickets.close(ticket.id, _now()) if ticket else None
    group = parts.settings.handoff.group_chat_id
    if ticket is None or closed is None:
        return False
    root = _root(ticket)
    if group is not None and root is not None:
        reply = handoff.group_closed(ticket.id, parts.settings.default_language, by_user=True)
        await send(bot, group, [reply], reply_to=root)
    return True


async def _mediator_replied(parts: Parts, bot: Bot, message: Message) -> None:
    """Relay a mediator's reply to the user, or close the conversation on /close."""
    answered = message.reply_to_message
    if answered is None or message.text is None or answered.from_user is None:
        return
    if answered.from_user.id != bot.id:
        return  # mediators talking among themselves
    language = parts.settings.default_language
    tickets = _tickets(parts)
    ticket = tickets.by_group_message(answered.message_id)
    if ticket is None or ticket.status is not TicketStatus.OPEN:
        # A closed conversation, or one the user deleted (/deletedata): say it did not arrive.
        if ticket is not None or (answered.text or "").startswith(handoff.TICKET_MARK):
            reply = handoff.group_not_delivered(ticket.id if ticket else None, language)
            await send(bot, message.chat_id, [reply], reply_to=message.message_id)
        return
    words = message.text.split()
    if words and words[0].split("@")[0] == CLOSE_COMMAND:
        await _close_by_mediator(parts, bot, ticket.id, message.chat_id, message.message_id)
        return
    await send(bot, ticket.chat_id, [handoff.from_mediator(ticket.language, message.text)])
    tickets.touched(ticket.id, _now())


async def _close_by_mediator(
    parts: Parts, bot: Bot, ticket_id: int, group: int, reply_to: int
) -> bool:
    """Close a live conversation, tell the user and the group; False when it was closed."""
    ticket = _tickets(parts).close(ticket_id, _now())
    if ticket is None:
        return False
    await send(bot, ticket.chat_id, [handoff.closed_by_mediator(parts.dialogue, ticket.language)])
    said = handoff.group_closed(ticket.id, parts.settings.default_language, by_user=False)
    await send(bot, group, [said], reply_to=reply_to)
    return True


def group_handlers(parts: Parts) -> list[Handler]:
    """For a group ahead of all others: the mediators' group is never a user's conversation."""

    async def from_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        group = parts.settings.handoff.group_chat_id
        chat = update.effective_chat
        if group is None or chat is None or chat.id != group:
            return
        query, message = update.callback_query, update.message
        if query is not None:
            await query.answer()
            close = decode(str(query.data))
            pressed_on = query.message
            if (
                isinstance(close, CloseHandoff)
                and close.ticket is not None
                and isinstance(pressed_on, Message)
            ):
                await query.edit_message_reply_markup(None)
                await _close_by_mediator(
                    parts, context.bot, close.ticket, group, pressed_on.message_id
                )
        elif message is not None:
            await _mediator_replied(parts, context.bot, message)
        raise ApplicationHandlerStop

    return [TypeHandler(Update, from_group)]


def handlers(parts: Parts) -> list[Handler]:
    """The user's "end the conversation" (or "cancel") button."""

    async def closed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None:
            return
        await query.answer()
        language = parts.state(update).language
        if await close_for_user(parts, context.bot, chat.id):
            reply = handoff.closed_by_user(parts.dialogue, language)
        else:
            reply = handoff.already_closed(parts.dialogue, language)
        await send(context.bot, chat.id, [reply])

    return [CallbackQueryHandler(closed, pattern=pressed(CloseHandoff()))]
