"""Talk to a person: the user's words go to the mediators' group, their replies come back.

The bot copies text both ways and never forwards: the group sees a ticket number, the user's
language and province; the user sees "a mediator". A user's voice note goes the same way, as a
copy Telegram makes (`copyMessage`): the bot never downloads or keeps it. Updates from the group
reach only this module.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Bot, Message, ReplyParameters, Update
from telegram.error import BadRequest
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import Handler, Parts, send
from content.text import clean
from dialogue import handoff
from dialogue.core import Turn
from dialogue.payloads import CloseHandoff, SendVoice, decode, pressed
from dialogue.privacy import picker
from dialogue.replies import Reply
from render.telegram import keyboard
from storage.handoff import HandoffTicket, TicketStatus, TicketStore
from storage.users import UserState

CLOSE_COMMAND = "/close"
# A user's voice note or sound file, in their private chat with the bot.
VOICE = filters.ChatType.PRIVATE & (filters.VOICE | filters.AUDIO)


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
    return _posted(parts, ticket, [m.message_id for m in posted])


def _posted(parts: Parts, ticket: HandoffTicket, group_message_ids: list[int]) -> list[Reply]:
    """Note the group's messages of the ticket; the first one is confirmed to the user."""
    _tickets(parts).posted(ticket.id, group_message_ids, _now())
    if ticket.status is TicketStatus.OPEN:
        return []  # the conversation goes on: no need to confirm every message
    return handoff.sent(
        parts.dialogue, ticket.language, None, ticket.id, parts.settings.handoff, _now()
    )


async def voice_sent(parts: Parts, bot: Bot, voice: Message, state: UserState) -> list[Reply]:
    """A user's voice note: into their live conversation, else offered to the mediators, else
    where to find a person."""
    settings = parts.settings.handoff
    group = settings.group_chat_id
    if group is None:
        return handoff.voice_unrelayed(parts.dialogue, state.language, state.province)
    ticket = _tickets(parts).live(voice.chat_id)
    if ticket is not None:
        return await _copy_voice(parts, bot, ticket, voice.chat_id, voice, group)
    return handoff.voice_offer(parts.dialogue, state.language, voice.message_id, settings, _now())


async def send_voice(
    parts: Parts, bot: Bot, chat_id: int, fallback: UserState, voice: Message
) -> tuple[list[Reply], bool]:
    """The "send it to a mediator" button: the notice first, then a new or the live
    conversation gets the voice note. Whether it went, with what the user reads."""
    group = parts.settings.handoff.group_chat_id
    state = parts.chats.users.load(chat_id)
    if group is None:
        return handoff.voice_unrelayed(parts.dialogue, fallback.language, fallback.province), False
    if state is None:  # a ticket keeps the chat id: first the notice and its consent
        return [picker(parts.settings.languages, fallback.language)], False
    tickets = _tickets(parts)
    new = tickets.live(chat_id) is None
    ticket = tickets.request(chat_id, state, _now())
    try:
        return await _copy_voice(parts, bot, ticket, chat_id, voice, group), True
    except BadRequest:  # the user deleted it meanwhile: Telegram has nothing to copy
        if new:
            tickets.forget(ticket.id)
        return [handoff.voice_gone(parts.dialogue, state.language)], False


async def _copy_voice(
    parts: Parts, bot: Bot, ticket: HandoffTicket, chat_id: int, voice: Message, group: int
) -> list[Reply]:
    """Copy a voice note of the user's own chat to the group, its heading as the caption: the
    first opens the thread (with the close button), the rest answer it."""
    language = parts.settings.default_language
    words = handoff.group_voice(language, clean(voice.caption or "") or None)
    root = _root(ticket)
    if ticket.status is TicketStatus.REQUESTED or root is None:
        said = handoff.group_request(language, ticket.id, ticket.language, ticket.province, words)
        answered = None
    else:
        said = handoff.group_followup(ticket.id, words, language)
        answered = ReplyParameters(root, allow_sending_without_reply=True)
    copied = await bot.copy_message(
        group,
        from_chat_id=chat_id,  # always the user's own chat, whatever a button says
        message_id=voice.message_id,
        caption=said.text,
        reply_markup=keyboard(said.buttons),
        reply_parameters=answered,
    )
    return _posted(parts, ticket, [copied.message_id])


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
        said = answered.text or answered.caption or ""  # a voice note's heading is its caption
        if ticket is not None or said.startswith(handoff.TICKET_MARK):
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


def _offered_voice(query_message: object, chat_id: int, wanted: SendVoice) -> Message | None:
    """The voice note a "send it to a mediator" button offers: the one its message answers, in
    the user's own chat. A forged or stale button (another id, no voice note) offers none."""
    if not isinstance(query_message, Message) or query_message.chat_id != chat_id:
        return None
    voice = query_message.reply_to_message
    if voice is None or voice.message_id != wanted.message_id or voice.chat_id != chat_id:
        return None
    return voice if voice.voice is not None or voice.audio is not None else None


def handlers(parts: Parts) -> list[Handler]:
    """The user's voice notes, "send it to a mediator", and "end the conversation" (or
    "cancel")."""

    async def voiced(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        replies = await voice_sent(parts, context.bot, message, parts.state(update))
        # The offer answers the voice note: its button names that message, and only it.
        await send(context.bot, message.chat_id, replies, reply_to=message.message_id)

    async def voice_tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None:
            return
        await query.answer()
        wanted = decode(str(query.data))
        fallback = parts.state(update)
        language = fallback.language
        voice = (
            _offered_voice(query.message, chat.id, wanted)
            if isinstance(wanted, SendVoice)
            else None
        )
        if voice is None:
            await send(context.bot, chat.id, [handoff.voice_gone(parts.dialogue, language)])
            return
        replies, went = await send_voice(parts, context.bot, chat.id, fallback, voice)
        if went:
            await query.edit_message_reply_markup(None)  # the offer is done: no second copy
        await send(context.bot, chat.id, replies)

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

    return [
        MessageHandler(VOICE, voiced),
        CallbackQueryHandler(voice_tapped, pattern=pressed(SendVoice)),
        CallbackQueryHandler(closed, pattern=pressed(CloseHandoff())),
    ]
