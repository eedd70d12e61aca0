"""Wiring: a python-telegram-bot Application over the dialogue core, from the settings."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot import digest, flood
from bot.context import Parts
from bot.handlers import (
    buttons,
    commands,
    fallback,
    handoff,
    location,
    other,
    text,
)
from bot.handlers.errors import error_handler
from bot.updates import PerChatUpdates
from content import retention
from dialogue.app import App
from shared.settings import Settings
from storage.coordination import claim, shared

BotApplication = Application[Any, ContextTypes.DEFAULT_TYPE, Any, Any, Any, Any]
log = logging.getLogger(__name__)
RETENTION = "retention"
RETENTION_EVERY = timedelta(hours=1)
# Seconds between a getUpdates answer and the next long poll. Without a pause a busy bot asks
# once per update, and each request costs about as much CPU as a reply; with it, the updates
# that arrive meanwhile come in one batch. A quiet bot's next update finds the poll waiting.
POLL_PAUSE = 0.03


class NoToken(RuntimeError):
    """The bot cannot start without TELEGRAM_BOT_TOKEN."""


async def set_commands(application: BotApplication) -> None:
    """The command list in each language, shown by Telegram's menu button."""
    settings: Settings = application.bot_data["settings"]
    for language in settings.languages:
        code = None if language == settings.default_language else language
        await application.bot.set_my_commands(commands.descriptions(language), language_code=code)


def build_bot(settings: Settings, app: App) -> BotApplication:
    """The Telegram application: handlers, error handler, commands; serving is `serve`'s."""
    if not settings.telegram_bot_token:
        raise NoToken("TELEGRAM_BOT_TOKEN is not set: the Telegram front end needs a bot token")
    parts = Parts(app.chats(), settings)
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .post_init(set_commands)
        .concurrent_updates(PerChatUpdates(app.sessions if shared(app.sessions) else None))
        # httpcore checks every pooled connection on each request: 256 of them (the default
        # with concurrent updates) cost a fifth of the CPU; 16 still cover Telegram's latency.
        .connection_pool_size(16)
        .pool_timeout(10)
        .build()
    )
    application.bot_data["settings"] = settings
    application.add_handlers(handoff.group_handlers(parts), group=-2)  # the mediators' group
    application.add_handlers(flood.handlers(parts), group=-1)
    # Order matters: the handoff's own button before the general button handler.
    for module in (
        commands,
        handoff,
        buttons,
        text,
        location,
        other,
    ):
        application.add_handlers(module.handlers(parts))
    application.add_handlers(fallback.handlers(parts))  # last: only what nothing else took
    application.add_error_handler(error_handler(parts))
    if application.job_queue is not None:
        # Hourly; `start_bot` runs it once at start (APScheduler drops a `first=0` run).
        application.job_queue.run_repeating(
            retention_job(app), interval=RETENTION_EVERY, name=RETENTION
        )
        digest.schedule(application.job_queue, settings, app)
    return application


def retention_job(app: App) -> Callable[[ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
    """Purge what users left behind past `retention_days`, once an hour whatever the processes."""

    async def purge_old(context: ContextTypes.DEFAULT_TYPE) -> None:
        settings: Settings = context.bot_data["settings"]
        now = datetime.now(UTC)
        with app.sessions.begin() as session:
            if not claim(session, RETENTION, now.strftime("%Y-%m-%dT%H")):
                return
            gone = retention.purge(session, now, settings.retention_days)
        if gone:
            log.warning(
                "retention: purged %d rows older than %d days", gone, settings.retention_days
            )

    return purge_old


async def start_bot(application: BotApplication) -> None:
    """Start receiving updates, by long polling or by webhook as configured."""
    settings: Settings = application.bot_data["settings"]
    telegram = settings.telegram
    updater = application.updater
    assert updater is not None  # ApplicationBuilder always makes one
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    if application.job_queue is not None:
        for job in application.job_queue.get_jobs_by_name(RETENTION):
            await job.run(application)
    if telegram.mode == "webhook":
        await updater.start_webhook(
            listen=telegram.listen,
            port=telegram.port,
            url_path=telegram.path,
            webhook_url=telegram.webhook_url,
            secret_token=telegram.secret_token,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        await updater.start_polling(allowed_updates=Update.ALL_TYPES, poll_interval=POLL_PAUSE)
    log.warning("Telegram bot started (%s)", telegram.mode)


async def stop_bot(application: BotApplication) -> None:
    """Stop receiving, finish the updates in hand, release the connections."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


async def run_bot(application: BotApplication, until: Awaitable[object]) -> None:
    """Serve until `until` completes."""
    try:
        await start_bot(application)
        await until
    finally:
        await stop_bot(application)
