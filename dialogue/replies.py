"""What the core gives back: plain text with buttons, for any front end to render."""

from __future__ import annotations

from dataclasses import dataclass, field

# Button payloads. ASCII only, short: Telegram's callback_data is at most 64 bytes.
MENU = "menu"
SERVICES = "services"
HUMAN = "human"
LANGUAGES = "languages"


def faq_payload(slug: str) -> str:
    """Show an FAQ."""
    return f"faq:{slug}"


def category_payload(category: str, province: str | None = None) -> str:
    """List a category's offices, optionally in one province."""
    return f"cat:{category}:{province}" if province else f"cat:{category}"


def language_payload(code: str) -> str:
    """Switch the user's language."""
    return f"lang:{code}"


@dataclass(frozen=True)
class Button:
    """A choice the user can tap; `payload` comes back to the core unchanged."""

    label: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One message: plain text (adapters escape it), its language and its buttons."""

    text: str
    language: str
    buttons: list[Button] = field(default_factory=list)
