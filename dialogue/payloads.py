"""Button payloads: typed values, and the one place that writes them and reads them back.

A front end hands a pressed button's payload back unchanged. Telegram keeps it as the button's
`callback_data`, at most 64 bytes, so a payload is short ASCII: a kind, then its fields, joined
by colons. Anything that does not read back (an old or forged button) decodes to None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.vocabulary import OFFICE_KINDS, PROVINCES

MAX_BYTES = 64  # Telegram's limit on callback_data


@dataclass(frozen=True)
class Consent:
    """A language chosen under the privacy notice: that choice is the consent."""

    code: str


@dataclass(frozen=True)
class DeleteData:
    """The answer to /deletedata's confirmation."""

    confirmed: bool


@dataclass(frozen=True)
class ShowMenu:
    """Back to the main menu."""


@dataclass(frozen=True)
class ShowServices:
    """The Services menu."""


@dataclass(frozen=True)
class ShowLanguages:
    """The language picker."""


@dataclass(frozen=True)
class ChooseLanguage:
    """Switch the user's language."""

    code: str


@dataclass(frozen=True)
class AskPerson:
    """Talk to a person, about a topic when the user was looking at one."""

    category: str | None = None


@dataclass(frozen=True)
class ShowFaq:
    """Show an FAQ."""

    slug: str


@dataclass(frozen=True)
class ShowDetails:
    """The whole answer of an FAQ, after its short text."""

    slug: str


@dataclass(frozen=True)
class Listen:
    """An FAQ's short answer as a voice note, in the user's language."""

    slug: str


@dataclass(frozen=True)
class ShowDesk:
    """An FAQ's card to show at the office's desk: Italian first, then the user's language;
    `province` is the one the answer was about, when the question named one."""

    slug: str
    province: str | None = None


@dataclass(frozen=True)
class ListenOffice:
    """An office's card as a voice note, in the user's language."""

    slug: str


@dataclass(frozen=True)
class ShowOffice:
    """Everything known about one office, after its compact card."""

    slug: str


@dataclass(frozen=True)
class ShowCategory:
    """A category's offices, maybe in one province, the kind of office asked for first; with
    `kinds` (those serving an FAQ), only offices of those kinds, in that order."""

    category: str
    province: str | None = None
    office: str | None = None
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class AskArea:
    """Ask for the user's province."""


@dataclass(frozen=True)
class SkipArea:
    """The user would rather not say where they live."""


@dataclass(frozen=True)
class SetArea:
    """Set the user's province, then their comune."""

    province: str
    comune: str | None = None


@dataclass(frozen=True)
class Vote:
    """A 👍 or 👎 on an FAQ answer."""

    slug: str
    helpful: bool


@dataclass(frozen=True)
class ShowNearby:
    """Offices of a category nearest a shared location, rounded to about a kilometre."""

    category: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class RemindEvent:
    """Remind me of an event the day before it."""

    event_id: int


@dataclass(frozen=True)
class StopPermit:
    """No more permit reminders, and forget the date."""


@dataclass(frozen=True)
class CancelPermit:
    """Stop waiting for the permit's date; a date already kept stays."""


@dataclass(frozen=True)
class Follow:
    """Follow a topic's news, or stop following it."""

    topic: str
    on: bool


@dataclass(frozen=True)
class CloseHandoff:
    """End a conversation with a person: the user's own, or a ticket from the mediators' group."""

    ticket: int | None = None


@dataclass(frozen=True)
class SendVoice:
    """Send the user's voice note (a message of their own chat, by its id) to the mediators."""

    message_id: int


Payload = (
    Consent
    | DeleteData
    | ShowMenu
    | ShowServices
    | ShowLanguages
    | ChooseLanguage
    | AskPerson
    | ShowFaq
    | ShowDetails
    | Listen
    | ShowDesk
    | ListenOffice
    | ShowOffice
    | ShowCategory
    | AskArea
    | SkipArea
    | SetArea
    | Vote
    | ShowNearby
    | RemindEvent
    | StopPermit
    | CancelPermit
    | Follow
    | CloseHandoff
    | SendVoice
)


def _join(*fields: object) -> str:
    return ":".join(str(field) for field in fields)


def encode(payload: Payload) -> str:
    """The payload as a button carries it."""
    match payload:
        case Consent(code):
            return _join("start", code)
        case DeleteData(confirmed):
            return _join("deletedata", "yes" if confirmed else "no")
        case ShowMenu():
            return "menu"
        case ShowServices():
            return "services"
        case ShowLanguages():
            return "languages"
        case ChooseLanguage(code):
            return _join("lang", code)
        case AskPerson(category):
            return _join("human", category) if category else "human"
        case ShowFaq(slug):
            return _join("faq", slug)
        case ShowDetails(slug):
            return _join("more", slug)
        case Listen(slug):
            return _join("say", slug)
        case ShowDesk(slug, province):
            return _join("desk", slug, province) if province else _join("desk", slug)
        case ListenOffice(slug):
            return _join("sayo", slug)
        case ShowOffice(slug):
            return _join("office", slug)
        case ShowCategory(category, province, office, kinds):
            if kinds:
                numbers = ".".join(str(OFFICE_KINDS.index(kind)) for kind in kinds)
                return _join("cat", category, province or "", office or "", numbers)
            if office:
                return _join("cat", category, province or "", office)
            return _join("cat", category, province) if province else _join("cat", category)
        case AskArea():
            return "area"
        case SkipArea():
            return "area:-"
        case SetArea(province, comune):
            return _join("area", province, comune) if comune else _join("area", province)
        case Vote(slug, helpful):
            return _join("fb", "+" if helpful else "-", slug)
        case ShowNearby(category, latitude, longitude):
            return f"near:{category}:{latitude:.2f}:{longitude:.2f}"
        case RemindEvent(event_id):
            return _join("remind", event_id)
        case StopPermit():
            return "permit:stop"
        case CancelPermit():
            return "permit:cancel"
        case Follow(topic, on):
            return _join("sub", "+" if on else "-", topic)
        case CloseHandoff(ticket):
            return "hoff:close" if ticket is None else _join("hoff:close", ticket)
        case SendVoice(message_id):
            return _join("hoff:voice", message_id)


MAX_ID = 2**31 - 1  # the largest row id both databases' INTEGER columns hold


def _number(text: str) -> int | None:
    """A row id written as ASCII digits and in range; None for anything else (a forged id of
    23 digits would overflow the database's integer, a '²' would not read back)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def _kinds(numbers: str) -> tuple[str, ...] | None:
    """Kinds of office written as their places in OFFICE_KINDS ("2.3.4"), to fit in 64 bytes."""
    places = [_number(text) for text in numbers.split(".")]
    if any(place is None or place >= len(OFFICE_KINDS) for place in places):
        return None
    return tuple(OFFICE_KINDS[place] for place in places if place is not None)


def decode(data: str) -> Payload | None:
    """The typed value of a button's payload; None for one this version never wrote."""
    kind, _sep, rest = data.partition(":")
    simple: dict[str, Payload] = {
        "menu": ShowMenu(),
        "services": ShowServices(),
        "languages": ShowLanguages(),
        "human": AskPerson(),
        "area": AskArea(),
        "area:-": SkipArea(),
        "permit:stop": StopPermit(),
        "permit:cancel": CancelPermit(),
        "hoff:close": CloseHandoff(),
    }
    if data in simple:
        return simple[data]
    first, _sep, second = rest.partition(":")
    match kind:
        case "start" if rest:
            return Consent(rest)
        case "deletedata" if rest in ("yes", "no"):
            return DeleteData(rest == "yes")
        case "lang" if rest:
            return ChooseLanguage(rest)
        case "human" if rest:
            return AskPerson(rest)
        case "faq" if rest:
            return ShowFaq(rest)
        case "more" if rest:
            return ShowDetails(rest)
        case "say" if rest:
            return Listen(rest)
        case "desk" if first:
            if second and second not in PROVINCES:
                return None
            return ShowDesk(first, second or None)
        case "sayo" if rest:
            return ListenOffice(rest)
        case "office" if rest:
            return ShowOffice(rest)
        case "cat" if first:
            province, _sep, rest = second.partition(":")
            office, _sep, numbers = rest.partition(":")
            kinds = _kinds(numbers) if numbers else ()
            if kinds is None:
                return None
            return ShowCategory(first, province or None, office or None, kinds)
        case "area" if first:
            return SetArea(first, second or None)
        case "fb" if first in ("+", "-") and second:
            return Vote(second, first == "+")
        case "near":
            latitude, _sep, longitude = second.partition(":")
            try:
                return ShowNearby(first, float(latitude), float(longitude))
            except ValueError:
                return None
        case "remind":
            event_id = _number(rest)
            return RemindEvent(event_id) if event_id is not None else None
        case "sub" if first in ("+", "-") and second:
            return Follow(second, first == "+")
        case "hoff" if first == "close":
            ticket = _number(second)
            return CloseHandoff(ticket) if ticket is not None else None
        case "hoff" if first == "voice":
            message_id = _number(second)
            return SendVoice(message_id) if message_id is not None else None
    return None


def fits(payload: Payload) -> bool:
    """Whether Telegram accepts the payload as callback_data."""
    return len(encode(payload).encode()) <= MAX_BYTES


def pressed(kind: type[Payload] | Payload) -> Callable[[object], bool]:
    """A front end's filter for button presses: payloads of one kind, or exactly one payload."""

    def check(data: object) -> bool:
        value = decode(data) if isinstance(data, str) else None
        return value == kind if not isinstance(kind, type) else isinstance(value, kind)

    return check
