"""Reminders in words: "remind me" on an event, and /permit for the residence permit's expiry.

After /permit the bot waits `ASK_SECONDS` for the date: a text that looks like one is read as
it, an unreadable one gets another try with the format shown, and Cancel ends the wait;
`/permit 31/12/2027` works in one go.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from babel.dates import format_date

from dialogue.dates import parse_day
from dialogue.payloads import CancelPermit, StopPermit, encode
from dialogue.replies import Button, Reply
from shared.clock import ROME, today
from shared.i18n import locale, translations
from storage.content import Event
from storage.reminders import STAGES, reminder_days

ASK_SECONDS = 600  # how long the bot waits for the date after asking for it
EXAMPLE = date(2027, 12, 31)


def waiting(asked_at: datetime | None, now: datetime) -> bool:
    """The bot asked this chat for its permit's date a moment ago: its next text is the date."""
    return asked_at is not None and now - asked_at < timedelta(seconds=ASK_SECONDS)


def _long(day: date, language: str) -> str:
    return format_date(day, "long", locale=locale(language))


def _example(language: str) -> str:
    return format_date(EXAMPLE, "dd/MM/yyyy", locale=locale(language))


def _cancel(language: str) -> Button:
    return Button(translations(language).gettext("Cancel"), encode(CancelPermit()))


def _again(language: str, reason: str) -> Reply:
    """Another try: why, then the date's format in numbers and in the user's words, and Cancel."""
    _ = translations(language).gettext
    how = _("Write the day, the month and the year, like this: {example} or {spelled}.").format(
        example=_example(language), spelled=_long(EXAMPLE, language)
    )
    return Reply(f"{reason}\n\n{how}", language, [_cancel(language)])


def ask_permit(language: str, expires_on: date | None) -> Reply:
    """What /permit says: why, how to write the date, and what is kept now."""
    _ = translations(language).gettext
    parts = [
        _(
            "I can remind you to renew your residence permit: {first} and {second} days "
            "before it expires, in time to ask for the renewal (at least 60 days before)."
        ).format(first=STAGES[0], second=STAGES[1]),
        _("When does your permit expire? Write the date, for example {example}.").format(
            example=_example(language)
        ),
    ]
    buttons = [_cancel(language)]
    if expires_on is not None:
        parts.insert(
            0, _("Your permit expires on {date}.").format(date=_long(expires_on, language))
        )
        buttons.append(Button(_("Stop permit reminders"), encode(StopPermit())))
    return Reply("\n\n".join(parts), language, buttons)


def read_permit(typed: str, language: str) -> date | Reply:
    """The expiry date typed, or another try that says why it cannot be kept."""
    _ = translations(language).gettext
    expires_on = parse_day(typed, language)
    if expires_on is None:
        return _again(language, _("I could not read this date."))
    if expires_on <= today():
        return _again(
            language, _("This date has passed. Write the expiry date of your current permit.")
        )
    return expires_on


def still_waiting(language: str) -> Reply:
    """After a message the bot could not answer while it waits: maybe it was the date."""
    _ = translations(language).gettext
    return _again(language, _("I am still waiting for the expiry date of your permit."))


def permit_cancelled(language: str) -> Reply:
    """After Cancel: the bot no longer reads the next text as the date."""
    _ = translations(language).gettext
    return Reply(
        _("All right, I am no longer waiting for the date. Send /permit to try again."),
        language,
    )


def permit_saved(language: str, expires_on: date) -> Reply:
    """The confirmation, with the days the reminders will come."""
    _ = translations(language).gettext
    first, second = (_long(day, language) for day in reminder_days(expires_on))
    text = _(
        "Done: your permit expires on {date}. I will remind you on {first} and on {second}. "
        "Send /permit to change the date or to stop."
    ).format(date=_long(expires_on, language), first=first, second=second)
    return Reply(text, language)


def permit_stopped(language: str) -> Reply:
    """After the stop button: nothing more will come, and the date is gone."""
    _ = translations(language).gettext
    return Reply(_("Done: no more permit reminders, and I have deleted the date."), language)


def event_reminded(language: str, event: Event | None) -> Reply:
    """After "remind me": the day the reminder comes, or why none will."""
    _ = translations(language).gettext
    if event is None:
        return Reply(_("This event is over or no longer listed."), language)
    day = _long(event.starts_at.astimezone(ROME).date(), language)
    text = _("Done: I will remind you of this event the day before ({date}).").format(date=day)
    return Reply(text, language)
