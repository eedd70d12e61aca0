"""When a handler fails: log without the user's words, apologise in their language."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.context import Parts, send
from shared.logs import failure

log = logging.getLogger(__name__)
ErrorCallback = Callable[[object, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def error_handler(parts: Parts) -> ErrorCallback:
    """The Application's error callback: a failure never leaves the user in silence."""

    async def failed(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s failed with %s", update_id, failure(error) if error else None)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        try:
            language = parts.state(update).language
        except SQLAlchemyError:
            language = parts.telegram_language(update.effective_user)
        try:
            apology = parts.dialogue.apology(language).replies
            await send(context.bot, update.effective_chat.id, apology)
        except TelegramError:
            log.warning("could not send the apology for update %s", update_id)

    return failed
