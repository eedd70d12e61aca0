"""What the bot keeps about a user, said in their language: the notice and its picker,
/privacy, /mydata and /deletedata's question."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from babel.dates import format_date

from content.offices import office_kinds
from dialogue.labels import category_label
from dialogue.payloads import Consent, DeleteData, encode
from dialogue.replies import Button, Reply
from dialogue.subscriptions import following
from shared.clock import ROME
from shared.i18n import NATIVE_NAMES, locale, translations
from shared.vocabulary import CATEGORIES
from storage.handoff import HandoffTicket, TicketStatus
from storage.subscriptions import Topic
from storage.users import BotUser


def notice(language: str) -> str:
    """The short privacy notice shown before anything is kept."""
    _ = translations(language).gettext
    return _(
        "Welcome to PRIMM bot! I answer questions about living in the Marche region.\n\n"
        "Privacy: when you choose a language, I keep only your chat number, your language "
        "and your province if you tell me. I never keep your name or your messages."
    )


def picker(languages: Sequence[str], language: str) -> Reply:
    """The notice and every language in its own script, the likely one first and ticked."""
    _ = translations(language).gettext
    codes = sorted(languages, key=lambda code: code != language)
    buttons = [
        Button(("✓ " if code == language else "") + NATIVE_NAMES[code], encode(Consent(code)))
        for code in codes
    ]
    return Reply(f"{notice(language)}\n\n{_('Choose your language')}", language, buttons)


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
        "One exception: a question I cannot answer well is kept, without your name, so that "
        "mediators can add the answer. Once you have chosen a language it is linked to your "
        "chat, so that /deletedata deletes it too; in any case it is deleted after {days} days."
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


def deleted(language: str, confirmed: bool, found: bool) -> Reply:
    """The answer to /deletedata's question: kept, deleted, or nothing to delete."""
    _ = translations(language).gettext
    if not confirmed:
        text = _("Nothing was deleted.")
    elif found:
        text = _(
            "Done: I have deleted everything I kept about you. "
            "Send /start if you want to use the bot again."
        )
    else:
        text = _("I keep nothing about you.")
    return Reply(text, language)
