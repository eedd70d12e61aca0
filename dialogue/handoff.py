"""Talk to a person: what the user and the mediators read, and when someone is there.

The core decides the words and the office hours; a front end (the Telegram bot) relays them.
Mediators never see who the user is, only a ticket number, the language and the province.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from babel.dates import format_date, format_time

from dialogue.core import Dialogue
from dialogue.payloads import CloseHandoff, SendVoice, encode
from dialogue.replies import Button, Reply
from shared.clock import ROME
from shared.i18n import NATIVE_NAMES, locale, translations
from shared.settings import HandoffSettings


def is_open(hours: HandoffSettings, now: datetime) -> bool:
    """Whether the mediators read the group now (their hours are Europe/Rome time)."""
    local = now.astimezone(ROME)
    return local.weekday() in hours.weekdays and hours.opens <= local.time() < hours.closes


def next_opening(hours: HandoffSettings, now: datetime) -> datetime:
    """The next time the mediators' hours begin, after `now`."""
    local = now.astimezone(ROME)
    for ahead in range(8):
        day = local.date() + timedelta(days=ahead)
        start = datetime.combine(day, hours.opens, tzinfo=ROME)
        if day.weekday() in hours.weekdays and start > local:
            return start
    raise ValueError("no weekday in the office hours")  # the settings require one


def when(moment: datetime, language: str) -> str:
    """A day and time as the user reads them, e.g. "lunedì 30 novembre 2026, 09:00"."""
    _ = translations(language).gettext
    place = locale(language)
    return _("{day} at {time}").format(
        day=format_date(moment.astimezone(ROME).date(), "full", locale=place),
        time=format_time(moment, "short", tzinfo=ROME, locale=place),
    )


def _close_button(language: str, asked: bool) -> Button:
    _ = translations(language).gettext
    return Button(_("Cancel") if asked else _("End the conversation"), encode(CloseHandoff()))


def _with_context(
    dialogue: Dialogue, reply: Reply, category: str | None, hours: HandoffSettings, now: datetime
) -> list[Reply]:
    """The reply, when the mediators are away, when they are back; in emergencies, the numbers."""
    _ = translations(reply.language).gettext
    text = reply.text
    if not is_open(hours, now):
        back = when(next_opening(hours, now), reply.language)
        away = _("The mediators are not available now. Someone will answer you from {when}.")
        text = f"{text}\n\n{away.format(when=back)}"
    replies = [Reply(text, reply.language, reply.buttons)]
    if category == "emergency":
        replies.insert(0, dialogue.lists.emergency_numbers(reply.language))
    return replies


def asked(
    dialogue: Dialogue, language: str, category: str | None, hours: HandoffSettings, now: datetime
) -> list[Reply]:
    """After "talk to a person": write your message, a person answers here."""
    _ = translations(language).gettext
    text = _(
        "Write your message in one go: I will pass it to a mediator, a person who will answer "
        "you here in this chat. Your name and your Telegram account stay hidden."
    )
    reply = Reply(text, language, [_close_button(language, asked=True)])
    return _with_context(dialogue, reply, category, hours, now)


def sent(
    dialogue: Dialogue,
    language: str,
    category: str | None,
    ticket: int,
    hours: HandoffSettings,
    now: datetime,
) -> list[Reply]:
    """The first message went to the mediators."""
    _ = translations(language).gettext
    text = _(
        "I have passed your message to the mediators (conversation no. {ticket}). A person will "
        "answer you here. You can keep writing: your messages go to them too."
    ).format(ticket=ticket)
    reply = Reply(text, language, [_close_button(language, asked=False)])
    return _with_context(dialogue, reply, category, hours, now)


def voice_offer(
    dialogue: Dialogue, language: str, message_id: int, hours: HandoffSettings, now: datetime
) -> list[Reply]:
    """A voice note outside a conversation: the bot cannot listen, a mediator can."""
    _ = translations(language).gettext
    text = _(
        "I cannot listen to voice notes. Shall I send this one to a mediator, a person who "
        "will answer you here in this chat? Your name and your Telegram account stay hidden."
    )
    send = Button(_("Send it to a mediator"), encode(SendVoice(message_id)))
    reply = Reply(text, language, [send, dialogue.menus.menu_button(language)])
    return _with_context(dialogue, reply, None, hours, now)


def voice_unrelayed(dialogue: Dialogue, language: str, province: str | None) -> list[Reply]:
    """A voice note where no mediators read the bot: where to find a person, and the menu."""
    _ = translations(language).gettext
    cannot = _("I cannot listen to voice notes.")
    first, *rest = dialogue.answers.conversation("human", language, province)
    said = Reply(f"{cannot} {first.text}", language, first.buttons)
    replies = [said, *rest]
    last = replies[-1]
    menu = dialogue.menus.menu_button(language)
    if menu not in last.buttons:
        replies[-1] = replace(last, buttons=[*last.buttons, menu])
    return replies


def voice_gone(dialogue: Dialogue, language: str) -> Reply:
    """A "send it to a mediator" button whose voice note cannot be found (or was not its own)."""
    _ = translations(language).gettext
    text = _("I cannot find this voice note any more. Please send it again.")
    return Reply(text, language, [dialogue.menus.menu_button(language)])


def from_mediator(language: str, text: str) -> Reply:
    """A mediator's answer as the user receives it: the words, never who wrote them."""
    _ = translations(language).gettext
    said = _("👤 A mediator answers:")
    return Reply(f"{said}\n\n{text}", language, [_close_button(language, asked=False)])


def closed_by_user(dialogue: Dialogue, language: str) -> Reply:
    """The user ended the conversation (or cancelled before writing)."""
    _ = translations(language).gettext
    text = _("The conversation with the mediators is closed. I am here for your questions.")
    return Reply(text, language, [dialogue.menus.menu_button(language)])


def closed_by_mediator(dialogue: Dialogue, language: str) -> Reply:
    """A mediator ended the conversation."""
    _ = translations(language).gettext
    text = _(
        "The mediator has closed the conversation. If you need more help, tap “Talk to a "
        "person” again."
    )
    return Reply(text, language, [dialogue.menus.menu_button(language)])


def already_closed(dialogue: Dialogue, language: str) -> Reply:
    """A close button of a conversation that ended before."""
    _ = translations(language).gettext
    return Reply(
        _("This conversation is already closed."), language, [dialogue.menus.menu_button(language)]
    )


TICKET_MARK = "🎫"  # how the bot's messages about a conversation start in the group


def _tag(ticket: int) -> str:
    return f"{TICKET_MARK} #{ticket}"


def group_request(
    language: str, ticket: int, user_language: str, province: str | None, text: str
) -> Reply:
    """The first message of a conversation in the mediators' group: tags, words, how to answer."""
    _ = translations(language).gettext
    speaks = f"{NATIVE_NAMES.get(user_language, user_language)} ({user_language})"
    heading = " · ".join([_tag(ticket), speaks, province or "–"])
    how = _("Reply to this message to answer; /close as a reply, or the button, ends it.")
    return Reply(
        f"{heading}\n\n{text}\n\n{how}",
        language,
        [Button(_("Close conversation"), encode(CloseHandoff(ticket)))],
    )


def group_followup(ticket: int, text: str, language: str) -> Reply:
    """A further message of the user, in the same thread."""
    return Reply(f"{_tag(ticket)}\n\n{text}", language)


MAX_CAPTION = 1024  # Telegram's limit on a caption, in UTF-16 code units
# Of a user's own caption, what fits beside the heading and how to answer.
CAPTION_KEPT = 300


def group_voice(language: str, caption: str | None) -> str:
    """What the mediators read under a user's voice note: that it is one, and its caption."""
    _ = translations(language).gettext
    said = _("🎤 A voice note from the user.")
    words = (caption or "").strip()
    if len(words) > CAPTION_KEPT:
        words = words[: CAPTION_KEPT - 1] + "…"
    return f"{said}\n\n{words}" if words else said


def group_closed(ticket: int, language: str, by_user: bool) -> Reply:
    """Who ended the conversation, for the other mediators."""
    _ = translations(language).gettext
    said = _("closed by the user.") if by_user else _("closed by a mediator.")
    return Reply(f"{_tag(ticket)}: {said}", language)


def group_not_delivered(ticket: int | None, language: str) -> Reply:
    """A reply to a conversation that is closed (or deleted): it did not reach anyone."""
    _ = translations(language).gettext
    text = _("This conversation is closed: your reply was not delivered.")
    return Reply(f"{_tag(ticket)}: {text}" if ticket else text, language)
