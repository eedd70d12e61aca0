"""The commands in Telegram's menu: each goes to the dialogue core, which answers it."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import CommandHandler, ContextTypes

from bot.context import Handler, Parts, send
from dialogue.chats import COMMANDS
from shared.i18n import translations


def descriptions(language: str) -> list[BotCommand]:
    """The command list as Telegram's menu shows it, in one language."""
    _ = translations(language).gettext
    described = {
        "start": _("Start again and choose your language"),
        "menu": _("Main menu"),
        "language": _("Change language"),
        "area": _("Set your province and town"),
        "events": _("Upcoming events"),
        "subscribe": _("Get news on topics you choose"),
        "unsubscribe": _("Stop news on a topic"),
        "permit": _("Reminder to renew your residence permit"),
        "help": _("How to use this bot"),
        "privacy": _("What I keep about you"),
        "mydata": _("Show the data I keep about you"),
        "deletedata": _("Delete everything I keep about you"),
    }
    return [BotCommand(name, described[name]) for name in COMMANDS]


def handlers(parts: Parts) -> list[Handler]:
    """Every command the core answers; unknown ones are the fallback's."""

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None or not message.text:
            return
        name = message.text.split(maxsplit=1)[0].lstrip("/").split("@")[0].lower()
        turn = await parts.chats.command(
            chat.id, parts.fallback(update), name, " ".join(context.args or [])
        )
        await send(context.bot, chat.id, turn.replies)

    return [CommandHandler(list(COMMANDS), answer)]
