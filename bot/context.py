"""The parts every handler needs, and how replies reach a chat."""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import Bot, Message, Update, User
from telegram.ext import BaseHandler, ContextTypes

from bot.render import render
from bot.users import UserStore
from dialogue.core import Dialogue, UserState
from dialogue.replies import Reply
from primm.settings import Settings

Handler = BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]


@dataclass
class Parts:
    """The dialogue core, the user store and the settings, shared by the handlers."""

    dialogue: Dialogue
    users: UserStore
    settings: Settings

    def telegram_language(self, user: User | None) -> str:
        """The Telegram app language if we speak it ("zh-hans" -> "zh"), else the default."""
        code = (user.language_code or "") if user else ""
        base = code.lower().replace("_", "-").split("-")[0]
        return base if base in self.settings.languages else self.settings.default_language

    def state(self, update: Update) -> UserState:
        """The stored state, or a fresh one in the Telegram language for chats without consent."""
        chat = update.effective_chat
        stored = self.users.load(chat.id) if chat else None
        return stored or UserState(self.telegram_language(update.effective_user))


async def send(bot: Bot, chat_id: int, replies: list[Reply]) -> None:
    """Send the replies in order, each as one or more messages."""
    for reply in replies:
        for message in render(reply):
            await bot.send_message(
                chat_id,
                message.text,
                parse_mode=message.parse_mode,
                reply_markup=message.reply_markup,
            )


async def edit_or_send(message: Message, replies: list[Reply]) -> None:
    """Replace a menu in place when the answer is one short message, else send new ones."""
    rendered = render(replies[0]) if len(replies) == 1 else []
    # python-telegram-bot reads a deleted or too old message as a Message with date 0.
    if len(rendered) != 1 or not message.is_accessible:
        await send(message.get_bot(), message.chat_id, replies)
        return
    unchanged = html.unescape(rendered[0].text) == message.text
    if unchanged and rendered[0].reply_markup == message.reply_markup:
        return  # Telegram refuses an edit that changes nothing
    await message.edit_text(
        rendered[0].text, parse_mode=rendered[0].parse_mode, reply_markup=rendered[0].reply_markup
    )
