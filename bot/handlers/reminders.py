"""Reminders: "remind me" on an event, and /permit for the residence permit's expiry date.

After /permit without a date the next text message of that chat is read as the date (the wait
is kept in memory per process for `ASK_SECONDS`; `/permit 31/12/2027` works in one go).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from babel.dates import format_date
from telegram import Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.context import Handler, Parts, edit_or_send, send
from bot.handlers.start import picker
from dialogue.dates import parse_day
from dialogue.payloads import RemindEvent, StopPermit, decode, encode, pressed
from dialogue.replies import Button, Reply
from shared.clock import ROME, today
from shared.i18n import locale, translations
from storage.reminders import STAGES, ReminderStore, reminder_days

ASK_SECONDS = 600  # how long the bot waits for the date after asking for it
EXAMPLE = date(2027, 12, 31)


def _long(day: date, language: str) -> str:
    return format_date(day, "long", locale=locale(language))


def ask_permit(language: str, expires_on: date | None) -> Reply:
    """What /permit says: why, how to write the date, and what is kept now."""
    _ = translations(language).gettext
    parts = [
        _(
            "I can remind you to renew your residence permit: {first} and {second} days "
            "before it expires, in time to ask for the renewal (at least 60 days before)."
        ).format(first=STAGES[0], second=STAGES[1]),
        _("When does your permit expire? Write the date, for example {example}.").format(
            example=format_date(EXAMPLE, "dd/MM/yyyy", locale=locale(language))
        ),
    ]
    buttons = []
    if expires_on is not None:
        parts.insert(
            0, _("Your permit expires on {date}.").format(date=_long(expires_on, language))
        )
        buttons.append(Button(_("Stop permit reminders"), encode(StopPermit())))
    return Reply("\n\n".join(parts), language, buttons)


def permit_saved(language: str, expires_on: date) -> Reply:
    """The confirmation, with the days the reminders will come."""
    _ = translations(language).gettext
    first, second = (_long(day, language) for day in reminder_days(expires_on))
    text = _(
        "Done: your permit expires on {date}. I will remind you on {first} and on {second}. "
        "Send /permit to change the date or to stop."
    ).format(date=_long(expires_on, language), first=first, second=second)
    return Reply(text, language)


def handlers(parts: Parts) -> list[Handler]:
    """The "remind me" buttons, /permit, its stop button and the date typed after it."""
    store = ReminderStore(parts.users.sessions)
    asked: dict[int, float] = {}  # chat id -> when the bot asked for the date

    async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None:
            return
        await query.answer()
        language = parts.state(update).language
        if parts.users.load(chat.id) is None:  # a reminder is data: only after the notice
            await send(context.bot, chat.id, [picker(parts, language)])
            return
        choice = decode(str(query.data))
        if not isinstance(choice, RemindEvent):
            return  # an old or forged button
        event_id = choice.event_id
        _ = translations(language).gettext
        event = store.remind_event(chat.id, event_id, datetime.now(UTC))
        if event is None:
            text = _("This event is over or no longer listed.")
        else:
            day = _long(event.starts_at.astimezone(ROME).date(), language)
            text = _("Done: I will remind you of this event the day before ({date}).").format(
                date=day
            )
        await send(context.bot, chat.id, [Reply(text, language)])

    async def permit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        language = parts.state(update).language
        if parts.users.load(chat.id) is None:
            await send(context.bot, chat.id, [picker(parts, language)])
            return
        typed = " ".join(context.args or [])
        if typed:
            await save(chat.id, typed, language, context)
            return
        asked[chat.id] = time.monotonic()
        await send(context.bot, chat.id, [ask_permit(language, store.permit(chat.id))])

    async def save(
        chat_id: int, typed: str, language: str, context: ContextTypes.DEFAULT_TYPE
    ) -> None:
        _ = translations(language).gettext
        asked.pop(chat_id, None)  # one answer only: anything after it is a question again
        expires_on = parse_day(typed, language)
        example = format_date(EXAMPLE, "dd/MM/yyyy", locale=locale(language))
        if expires_on is None:
            reply = Reply(
                _(
                    "I could not read this date. Write it after /permit, like this: "
                    "/permit {example}"
                ).format(example=example),
                language,
            )
        elif expires_on <= today():
            reply = Reply(
                _("This date has passed. Write the expiry date of your current permit."),
                language,
            )
        else:
            store.set_permit(chat_id, expires_on)
            reply = permit_saved(language, expires_on)
        await send(context.bot, chat_id, [reply])

    class Waiting(filters.MessageFilter):
        """A text message from a chat the bot has just asked for the date."""

        def filter(self, message: Message) -> bool:
            at = asked.get(message.chat_id)
            return at is not None and time.monotonic() - at < ASK_SECONDS

    async def typed_date(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        language = parts.state(update).language
        await save(message.chat_id, message.text, language, context)

    async def stop(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None or not isinstance(query.message, Message):
            return
        await query.answer()
        language = parts.state(update).language
        _ = translations(language).gettext
        store.forget_permit(chat.id)
        asked.pop(chat.id, None)
        text = _("Done: no more permit reminders, and I have deleted the date.")
        await edit_or_send(query.message, [Reply(text, language)])

    return [
        CallbackQueryHandler(remind, pattern=pressed(RemindEvent)),
        CommandHandler("permit", permit),
        CallbackQueryHandler(stop, pattern=pressed(StopPermit())),
        MessageHandler(filters.TEXT & ~filters.COMMAND & Waiting(), typed_date),
    ]
