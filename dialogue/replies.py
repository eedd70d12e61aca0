"""What the core gives back: plain text with buttons, for any front end to render."""

from __future__ import annotations

from dataclasses import dataclass, field

from content.voice import VoiceNote


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
    """One message: plain text (adapters escape it), its language and its buttons; with a
    `voice`, the voice note is the message (front ends that play none show where it is)."""

    text: str
    language: str
    buttons: list[Button] = field(default_factory=list)
    location: LocationRequest | None = None
    voice: VoiceNote | None = None
