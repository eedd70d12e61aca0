"""A shared location: the nearest offices, with distances; the location itself is not kept."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.context import Handler, Parts, send


def handlers(parts: Parts) -> list[Handler]:
    """Location and venue messages."""

    async def located(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.location is None:
            return
        point = message.location
        turn = await parts.dialogue.handle_location(
            parts.state(update), point.latitude, point.longitude
        )
        await send(context.bot, message.chat_id, turn.replies)

    return [MessageHandler(filters.LOCATION, located)]
