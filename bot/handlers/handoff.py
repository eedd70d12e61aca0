"""Talk to a person, as Telegram delivers it: the mediators' group, voice notes, buttons.

The conversation's rules live in the core (`dialogue/relay.py`); these handlers hand it the
group's updates and the user's voice notes and buttons. Updates from the group reach only this
module.
"""

from __future__ import annotations

from telegram import Bot, Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import GroupDesk, Handler, Parts, send
from dialogue import handoff
from dialogue.payloads import CloseHandoff, SendVoice, decode, pressed
from dialogue.replies import Reply
from shared.clock import now
from storage.users import UserState

# A user's voice note or sound file, in their private chat with the bot.
VOICE = filters.ChatType.PRIVATE & (filters.VOICE | filters.AUDIO)


async def voice_sent(parts: Parts, bot: Bot, voice: Message, state: UserState) -> list[Reply]:
    """A user's voice note: into their live conversation, else offered to the mediators, else
    where to find a person."""
    desk = parts.desk(bot)
    if desk is None:
        return handoff.voice_unrelayed(parts.dialogue, state.language, state.province)
    relayed = await parts.chats.relay.voice(voice.chat_id, voice.message_id, voice.caption, desk)
    if relayed is not None:
        return relayed
    hours = parts.settings.handoff
    return handoff.voice_offer(parts.dialogue, state.language, voice.message_id, hours, now())


async def _mediator_replied(parts: Parts, desk: GroupDesk, message: Message) -> None:
    """A mediator's reply to one of the bot's messages in the group goes to the core."""
    answered = message.reply_to_message
    if answered is None or message.text is None or answered.from_user is None:
        return
    if answered.from_user.id != desk.bot.id:
        return  # mediators talking among themselves
    said = answered.text or answered.caption or ""  # a voice note's heading is its caption
    await parts.chats.relay.mediator_wrote(
        answered.message_id, said, message.text, message.message_id, desk
    )


def group_handlers(parts: Parts) -> list[Handler]:
    """For a group ahead of all others: the mediators' group is never a user's conversation."""

    async def from_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        desk = parts.desk(context.bot)
        chat = update.effective_chat
        if desk is None or chat is None or chat.id != desk.group:
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
                await parts.chats.relay.close_by_mediator(
                    close.ticket, pressed_on.message_id, desk
                )
        elif message is not None:
            await _mediator_replied(parts, desk, message)
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
        desk = parts.desk(context.bot)
        if desk is None:  # an offer made before the mediators' group was unset
            unrelayed = handoff.voice_unrelayed(parts.dialogue, language, fallback.province)
            await send(context.bot, chat.id, unrelayed)
            return
        replies, went = await parts.chats.relay.send_voice(
            chat.id, fallback, voice.message_id, voice.caption, desk
        )
        if went:
            await query.edit_message_reply_markup(None)  # the offer is done: no second copy
        await send(context.bot, chat.id, replies)

    async def closed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None:
            return
        await query.answer()
        language = parts.state(update).language
        if await parts.chats.relay.close_for_user(chat.id, parts.desk(context.bot)):
            reply = handoff.closed_by_user(parts.dialogue, language)
        else:
            reply = handoff.already_closed(parts.dialogue, language)
        await send(context.bot, chat.id, [reply])

    return [
        MessageHandler(VOICE, voiced),
        CallbackQueryHandler(voice_tapped, pattern=pressed(SendVoice)),
        CallbackQueryHandler(closed, pattern=pressed(CloseHandoff())),
    ]
