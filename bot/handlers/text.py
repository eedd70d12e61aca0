"""Free text in any language goes through the dialogue core."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.context import Handler, Parts, send


def handlers(parts: Parts) -> list[Handler]:
    """Text messages that are not commands (those of a chat talking to a person go to it)."""

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        desk = parts.desk(context.bot)
        turn = await parts.chats.text(message.chat_id, parts.fallback(update), message.text, desk)
        await send(context.bot, message.chat_id, turn.replies)

    return [MessageHandler(filters.TEXT & ~filters.COMMAND, answer)]
