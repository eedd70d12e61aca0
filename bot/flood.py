"""A per-user flood guard: past the limit, one polite word, then silence for the minute."""

from __future__ import annotations

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.context import Handler, Parts, send
from dialogue.replies import Reply
from primm.i18n import translations


def handlers(parts: Parts) -> list[Handler]:
    """A handler for group -1, ahead of all others: it stops updates from a flooding user."""
    limiter = MovingWindowRateLimiter(MemoryStorage())
    allowed = RateLimitItemPerMinute(parts.settings.telegram.flood_messages_per_minute)
    warned = RateLimitItemPerMinute(1)

    async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or limiter.hit(allowed, str(user.id)):
            return
        if limiter.hit(warned, "warned", str(user.id)):
            language = parts.state(update).language
            _ = translations(language).gettext
            text = _("You are writing very fast. Please wait a minute, then write again.")
            await send(context.bot, chat.id, [Reply(text, language)])
        raise ApplicationHandlerStop

    return [TypeHandler(Update, guard)]
