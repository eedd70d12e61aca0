"""What the core gives back: plain text with buttons, for any front end to render."""

from __future__ import annotations

from dataclasses import dataclass, field

# Button payloads. ASCII only, short: Telegram's callback_data is at most 64 bytes.
MENU = "menu"
SERVICES = "services"
HUMAN = "human"
LANGUAGES = "languages"
AREA = "area"
AREA_SKIP = "area:-"
HANDOFF_CLOSE = "hoff:close"  # ends the user's conversation with a person


def human_payload(category: str | None = None) -> str:
    """Talk to a person, about a topic when the user was looking at one."""
    return f"{HUMAN}:{category}" if category else HUMAN


def handoff_close_payload(ticket: int) -> str:
    """A mediator ends a conversation from the group."""
    return f"{HANDOFF_CLOSE}:{ticket}"


def faq_payload(slug: str) -> str:
    """Show an FAQ."""
    return f"faq:{slug}"


def category_payload(category: str, province: str | None = None, office: str | None = None) -> str:
    """List a category's offices, maybe in one province, the kind of office asked for first."""
    if office:
        return f"cat:{category}:{province or ''}:{office}"
    return f"cat:{category}:{province}" if province else f"cat:{category}"


def language_payload(code: str) -> str:
    """Switch the user's language."""
    return f"lang:{code}"


def area_payload(province: str, comune: str | None = None) -> str:
    """Set the user's province, then their comune."""
    return f"area:{province}:{comune}" if comune else f"area:{province}"


def feedback_payload(slug: str, helpful: bool) -> str:
    """A 👍 or 👎 on an FAQ answer."""
    return f"fb:{'+' if helpful else '-'}:{slug}"


def near_payload(category: str, latitude: float, longitude: float) -> str:
    """Offices of a category nearest a shared location, rounded to about a kilometre."""
    return f"near:{category}:{latitude:.2f}:{longitude:.2f}"


def remind_payload(event_id: int) -> str:
    """Remind me of an event the day before it."""
    return f"remind:{event_id}"


@dataclass(frozen=True)
class Button:
    """A choice the user can tap; `payload` comes back to the core unchanged."""

    label: str
    payload: str


@dataclass(frozen=True)
class Handoff:
    """The user asked for a person: about which topic, and their words when they wrote some."""

    category: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class LocationRequest:
    """An invitation to share a location, for front ends that can ask for one."""

    text: str
    label: str


@dataclass(frozen=True)
class Reply:
    """One message: plain text (adapters escape it), its language and its buttons."""

    text: str
    language: str
    buttons: list[Button] = field(default_factory=list)
    location: LocationRequest | None = None
