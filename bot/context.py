"""The parts every handler needs, and how replies reach a chat."""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters, Update, User
from telegram.error import BadRequest
from telegram.ext import BaseHandler, ContextTypes

from dialogue.chats import Chats
from dialogue.core import Dialogue
from dialogue.relay import GoneError
from dialogue.replies import Reply
from render.telegram import Message as RenderedMessage
from render.telegram import VoiceMessage, keyboard, render, render_voice
from shared.settings import HandoffSettings, Settings
from storage.users import UserState

Handler = BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]


@dataclass
class Parts:
    """The dialogue core per chat and the settings, shared by the handlers."""

    chats: Chats
    settings: Settings

    @property
    def dialogue(self) -> Dialogue:
        """The dialogue core under the chats."""
        return self.chats.dialogue

    def telegram_language(self, user: User | None) -> str:
        """The Telegram app language if we speak it ("zh-hans" -> "zh"), else the default."""
        code = (user.language_code or "") if user else ""
        base = code.lower().replace("_", "-").split("-")[0]
        return base if base in self.settings.languages else self.settings.default_language

    def fallback(self, update: Update) -> UserState:
        """The state of a chat without consent: nothing kept, the Telegram app's language."""
        return UserState(self.telegram_language(update.effective_user))

    def state(self, update: Update) -> UserState:
        """The stored state, or a fresh one in the Telegram language for chats without consent."""
        chat = update.effective_chat
        fallback = self.fallback(update)
        return self.chats.state(chat.id, fallback) if chat else fallback

    def desk(self, bot: Bot) -> GroupDesk | None:
        """The mediators' group, where one is set: the core relays conversations to it."""
        hours = self.settings.handoff
        group = hours.group_chat_id
        return GroupDesk(bot, group, hours) if group is not None else None


@dataclass
class GroupDesk:
    """The mediators' Telegram group as the core's desk (`dialogue/relay.py`): the bot copies
    text both ways and never forwards."""

    bot: Bot
    group: int
    hours: HandoffSettings

    async def post(self, reply: Reply, reply_to: int | None = None) -> list[int]:
        """Post to the group, answering `reply_to`; the ids of the messages made."""
        return [m.message_id for m in await send(self.bot, self.group, [reply], reply_to)]

    async def copy(self, chat_id: int, message_id: int, said: Reply, reply_to: int | None) -> int:
        """Telegram's own copy (`copyMessage`) of a message of the user's chat, `said` as its
        caption; the bot never downloads it."""
        answered = (
            ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        )
        try:
            copied = await self.bot.copy_message(
                self.group,
                from_chat_id=chat_id,
                message_id=message_id,
                caption=said.text,
                reply_markup=keyboard(said.buttons),
                reply_parameters=answered,
            )
        except BadRequest as error:  # the user deleted it meanwhile: nothing to copy
            raise GoneError(str(error)) from error
        return copied.message_id

    async def send(self, chat_id: int, replies: list[Reply]) -> None:
        """Send replies to a user's chat."""
        await send(self.bot, chat_id, replies)


async def send(
    bot: Bot, chat_id: int, replies: list[Reply], reply_to: int | None = None
) -> list[Message]:
    """Send the replies in order, each as one or more messages (the first answering a message)
    or as a voice note."""
    sent: list[Message] = []
    for reply in replies:
        voice = render_voice(reply)
        if voice is None:
            sent += await _send_messages(bot, chat_id, render(reply), reply_to)
        else:
            sent.append(await _send_voice(bot, chat_id, voice))
        reply_to = None
    return sent


async def _send_voice(bot: Bot, chat_id: int, voice: VoiceMessage) -> Message:
    """Upload the kept Ogg/Opus file; Telegram shows it as a voice message with its length."""
    return await bot.send_voice(
        chat_id, voice.path, duration=voice.duration, reply_markup=voice.reply_markup
    )


async def _send_messages(
    bot: Bot, chat_id: int, messages: list[RenderedMessage], reply_to: int | None = None
) -> list[Message]:
    sent = []
    for message in messages:
        answered = (
            ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        )
        sent.append(
            await bot.send_message(
                chat_id,
                message.text,
                parse_mode=message.parse_mode,
                reply_markup=message.reply_markup,
                reply_parameters=answered,
            )
        )
        reply_to = None
    return sent


async def edit_or_send(message: Message, replies: list[Reply]) -> None:
    """Turn a menu into the first message of the answer; send the rest below it."""
    rendered = [m for reply in replies for m in render(reply)]
    first, rest = rendered[0], rendered[1:]
    # python-telegram-bot reads a deleted or too old message as a Message with date 0.
    markup = first.reply_markup
    if not isinstance(markup, InlineKeyboardMarkup | None) or not message.is_accessible:
        await _send_messages(message.get_bot(), message.chat_id, rendered)
        return
    unchanged = html.unescape(first.text) == message.text
    if not (unchanged and markup == message.reply_markup):
        # (Telegram refuses an edit that changes nothing.)
        await message.edit_text(first.text, parse_mode=first.parse_mode, reply_markup=markup)
    await _send_messages(message.get_bot(), message.chat_id, rest)
