"""The commands in Telegram's menu: each opens the part of the bot it names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from babel.dates import format_date
from telegram import BotCommand, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.context import Handler, Parts, edit_or_send, send
from bot.handlers import handoff
from bot.handlers.start import notice, picker
from bot.handlers.subscriptions import following
from bot.tickets import TicketStore
from content.offices import office_kinds
from dialogue.core import UserState
from dialogue.labels import category_label
from dialogue.payloads import DeleteData, decode, encode, pressed
from dialogue.replies import Button, Reply
from shared.clock import ROME
from shared.i18n import NATIVE_NAMES, locale, translations
from shared.vocabulary import CATEGORIES
from storage.handoff import HandoffTicket, TicketStatus
from storage.reminders import ReminderStore
from storage.subscriptions import SubscriptionStore, Topic
from storage.users import BotUser


def descriptions(language: str) -> list[BotCommand]:
    """The command list as Telegram's menu shows it, in one language."""
    _ = translations(language).gettext
    return [
        BotCommand("start", _("Start again and choose your language")),
        BotCommand("menu", _("Main menu")),
        BotCommand("language", _("Change language")),
        BotCommand("area", _("Set your province and town")),
        BotCommand("events", _("Upcoming events")),
        BotCommand("subscribe", _("Get news on topics you choose")),
        BotCommand("unsubscribe", _("Stop news on a topic")),
        BotCommand("permit", _("Reminder to renew your residence permit")),
        BotCommand("help", _("How to use this bot")),
        BotCommand("privacy", _("What I keep about you")),
        BotCommand("mydata", _("Show the data I keep about you")),
        BotCommand("deletedata", _("Delete everything I keep about you")),
    ]


def privacy(language: str, days: int) -> Reply:
    """The privacy notice in full: what is kept, what is not, how to delete it."""
    _ = translations(language).gettext
    details = _(
        "What I keep: your chat number, your language, your province and town if you tell "
        "me, and when you agreed.\n"
        "Only if you ask for them: the topics you follow (/subscribe), the events you want "
        "a reminder of, the expiry date of your residence permit (/permit), and which "
        "announcements and reminders I sent you.\n"
        "What I never keep: your name, your phone number, your messages or your location "
        "(I use a shared location once, to find the nearest offices).\n"
        "👍/👎 votes are kept without knowing who gave them.\n"
        "Send /deletedata to delete everything I keep about you."
    )
    topic = _(
        "To answer a question like “and in Fermo?”, I keep the topic of your last question "
        "(for example “Italian courses”), never the question itself."
    )
    person = _(
        "If you talk to a person, your messages go to the mediators without your name or "
        "account; I keep only the conversation's number, state and dates, not the messages."
    )
    unanswered = _(
        "One exception: a question I cannot answer well is kept, without your name or chat "
        "number, so that mediators can add the answer; it is deleted after {days} days."
    ).format(days=days)
    return Reply(f"{notice(language)}\n\n{details}\n{topic}\n{person}\n{unanswered}", language)


def conversations(language: str, tickets: Sequence[HandoffTicket]) -> str:
    """The user's conversations with a person as kept: number, state and day opened."""
    _ = translations(language).gettext
    states = {
        TicketStatus.REQUESTED: _("waiting for your message"),
        TicketStatus.OPEN: _("open"),
        TicketStatus.CLOSED: _("closed"),
    }
    shown = [
        _("no. {ticket}, {state}, {date}").format(
            ticket=ticket.id,
            state=states[ticket.status],
            date=format_date(ticket.opened_at.astimezone(ROME), "long", locale=locale(language)),
        )
        for ticket in tickets
    ]
    return _("Conversations with a person: {list}").format(list="; ".join(shown) or "–")


def mydata(
    language: str,
    user: BotUser | None,
    topics: list[Topic],
    tickets: Sequence[HandoffTicket] = (),
    permit: date | None = None,
    event_reminders: int = 0,
) -> Reply:
    """Everything stored about the user, as stored, in their language."""
    _ = translations(language).gettext
    if user is None:
        return Reply(_("I keep nothing about you."), language)
    where = locale(language)
    lines = [
        _("This is everything I keep about you:"),
        _("Chat number: {chat}").format(chat=user.chat_id),
        _("Language: {language}").format(language=NATIVE_NAMES.get(user.language, user.language)),
        _("Province: {province}").format(province=user.province or "–"),
        _("Town: {town}").format(town=user.comune or "–"),
        _("Topic of your last question: {topic}").format(topic=last_topic(user, language)),
        _("Agreed on: {date}").format(
            date=format_date(user.consented_at.astimezone(ROME), "long", locale=where)
        ),
        following(language, topics),
        conversations(language, tickets),
        _("Residence permit expires on (for reminders): {date}").format(
            date=format_date(permit, "long", locale=where) if permit else "–"
        ),
        _("Event reminders asked for: {count}").format(count=event_reminders),
        "",
        _("Send /deletedata to delete everything I keep about you."),
    ]
    return Reply("\n".join(lines), language)


def last_topic(user: BotUser, language: str) -> str:
    """The topic kept for follow-ups, in words: "Residence permit, questura"."""
    if user.last_category not in CATEGORIES:
        return "–"
    topic = category_label(user.last_category, language)
    office = user.last_office and office_kinds().name(user.last_office)
    return f"{topic}, {office}" if office else topic


def confirm_delete(language: str) -> Reply:
    """Deleting is final: ask first."""
    _ = translations(language).gettext
    return Reply(
        _("Delete everything I keep about you (language, area, consent)?"),
        language,
        [
            Button(_("Yes, delete"), encode(DeleteData(True))),
            Button(_("No, keep it"), encode(DeleteData(False))),
        ],
    )


def handlers(parts: Parts) -> list[Handler]:
    """Commands other than /start, and the answer to /deletedata's question."""
    dialogue = parts.dialogue

    def command(
        name: str, replies: Callable[[UserState], list[Reply]], consent: bool = False
    ) -> Handler:
        async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            chat = update.effective_chat
            if chat is None:
                return
            stored = parts.users.load(chat.id)
            state = stored or UserState(parts.telegram_language(update.effective_user))
            if consent and stored is None:
                await send(context.bot, chat.id, [picker(parts, state.language)])
                return
            await send(context.bot, chat.id, replies(state))

        return CommandHandler(name, answer)

    async def shown_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is not None:
            user = parts.users.row(chat.id)
            language = user.language if user else parts.state(update).language
            topics = SubscriptionStore(parts.users.sessions).topics(chat.id)
            tickets = TicketStore(parts.users.sessions).of_chat(chat.id)
            reminders = ReminderStore(parts.users.sessions)
            shown = mydata(
                language,
                user,
                topics,
                tickets,
                reminders.permit(chat.id),
                reminders.events(chat.id),
            )
            await send(context.bot, chat.id, [shown])

    async def deleted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat = update.effective_chat
        if query is None or chat is None or not isinstance(query.message, Message):
            return
        await query.answer()
        language = parts.state(update).language
        _ = translations(language).gettext
        if decode(str(query.data)) == DeleteData(True):
            # The mediators learn the conversation ended before its ticket goes with the user.
            await handoff.close_for_user(parts, context.bot, chat.id)
        if decode(str(query.data)) != DeleteData(True):
            text = _("Nothing was deleted.")
        elif parts.users.delete(chat.id):
            text = _(
                "Done: I have deleted everything I kept about you. "
                "Send /start if you want to use the bot again."
            )
        else:
            text = _("I keep nothing about you.")
        await edit_or_send(query.message, [Reply(text, language)])

    return [
        command("menu", lambda s: [dialogue.menus.main_menu(s.language)]),
        command("language", lambda s: [dialogue.menus.languages_menu(s.language)], consent=True),
        command("area", lambda s: [dialogue.menus.area_menu(s.language)], consent=True),
        command(
            "events", lambda s: dialogue.lists.category_replies("events", s.language, s.province)
        ),
        command("help", lambda s: dialogue.answers.conversation("help", s.language, s.province)),
        command("privacy", lambda s: [privacy(s.language, parts.settings.retention_days)]),
        CommandHandler("mydata", shown_data),
        command("deletedata", lambda s: [confirm_delete(s.language)]),
        CallbackQueryHandler(deleted, pattern=pressed(DeleteData)),
    ]
