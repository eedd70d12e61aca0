"""Photos, stickers and files: a kind word that the bot reads text.

A voice note in a private chat goes to `bot.handlers.handoff` first (a person can listen).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.context import Handler, Parts, send

NOT_TEXT = (
    filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.Sticker.ALL
    | filters.Document.ALL
)


def handlers(parts: Parts) -> list[Handler]:
    """Media messages, answered like an empty text: the core explains what it understands."""

    async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        turn = await parts.dialogue.handle_text(parts.state(update), None)
        await send(context.bot, chat.id, turn.replies)

    return [MessageHandler(NOT_TEXT, media)]
