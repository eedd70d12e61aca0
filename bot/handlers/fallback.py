"""Commands the bot does not know (a typo, an old one): the main menu rather than silence."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.context import Handler, Parts, send


def handlers(parts: Parts) -> list[Handler]:
    """Any command no other handler took; `build_bot` adds it after all the others."""

    async def unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is not None:
            language = parts.state(update).language
            await send(context.bot, chat.id, [parts.dialogue.menus.main_menu(language)])

    return [MessageHandler(filters.COMMAND, unknown)]
