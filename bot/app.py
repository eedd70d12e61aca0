"""Wiring: a python-telegram-bot Application over the dialogue core, from the settings."""

from __future__ import annotations

from typing import Any

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.context import Parts
from bot.handlers import buttons, fallback, other, start, text
from bot.handlers.errors import error_handler
from bot.updates import PerChatUpdates
from bot.users import UserStore
from primm.app import App
from primm.i18n import translations
from primm.settings import Settings

BotApplication = Application[Any, ContextTypes.DEFAULT_TYPE, Any, Any, Any, Any]


class NoToken(RuntimeError):
    """The bot cannot start without TELEGRAM_BOT_TOKEN."""


async def set_commands(application: BotApplication) -> None:
    """The command list in each language, shown by Telegram's menu button."""
    settings: Settings = application.bot_data["settings"]
    for language in settings.languages:
        _ = translations(language).gettext
        commands = [
            BotCommand("start", _("Choose your language")),
            BotCommand("menu", _("Main menu")),
        ]
        code = None if language == settings.default_language else language
        await application.bot.set_my_commands(commands, language_code=code)


def build_bot(settings: Settings, app: App) -> BotApplication:
    """The Telegram application: handlers, error handler, commands; polling is the caller's."""
    if not settings.telegram_bot_token:
        raise NoToken("TELEGRAM_BOT_TOKEN is not set: the Telegram front end needs a bot token")
    parts = Parts(app.dialogue, UserStore(app.sessions), settings)
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .post_init(set_commands)
        .concurrent_updates(PerChatUpdates())
        # httpcore checks every pooled connection on each request: 256 of them (the default
        # with concurrent updates) cost a fifth of the CPU; 16 still cover Telegram's latency.
        .connection_pool_size(16)
        .pool_timeout(10)
        .build()
    )
    application.bot_data["settings"] = settings
    # Order matters: the picker's buttons before the general button handler.
    for module in (start, buttons, text, other):
        application.add_handlers(module.handlers(parts))
    application.add_handlers(fallback.handlers(parts))  # last: only what nothing else took
    application.add_error_handler(error_handler(parts))
    return application
