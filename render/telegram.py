"""Turn the core's replies into Telegram messages that Telegram accepts in every language."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from content.text import LATIN
from dialogue.replies import Button, LocationRequest, Reply
from shared.i18n import RTL

MAX_TEXT = 4096  # Telegram's limit, in UTF-16 code units of the text after entity parsing
MAX_CALLBACK_DATA = 64  # bytes, so 32 Arabic or Cyrillic characters
FSI, PDI = "\u2068", "\u2069"
SHORT_LABEL = 2  # characters: such buttons (👍 👎) share a row
# A run of Latin-script words (names, addresses, URLs) that must keep its order in RTL text.
_WORD = rf"[{LATIN}0-9'’.\-_/:@%?=&#+]"
# A /command is left bare, so Telegram still makes it a tappable command.
_LATIN_RUN = re.compile(rf"(?<![/{LATIN}])[{LATIN}]{_WORD}*(?:[ ,]+[{LATIN}0-9]{_WORD}*)*")
_TRAILING = ".,:;?!"


@dataclass(frozen=True)
class Message:
    """The arguments of one sendMessage (or editMessageText) call."""

    text: str
    reply_markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None
    parse_mode: str = "HTML"


@dataclass(frozen=True)
class VoiceMessage:
    """The arguments of one sendVoice call: an Ogg/Opus file, how long it plays, its buttons."""

    path: Path
    duration: int
    reply_markup: InlineKeyboardMarkup | None = None


def utf16_length(text: str) -> int:
    """Telegram counts text in UTF-16 code units: an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def isolate_latin(text: str) -> str:
    """Wrap Latin-script runs in direction isolates so names and URLs don't scramble in RTL."""

    def wrap(match: re.Match[str]) -> str:
        run = match.group(0)
        core = run.rstrip(_TRAILING + " ,")
        return f"{FSI}{core}{PDI}{run[len(core) :]}" if core else run

    return _LATIN_RUN.sub(wrap, text)


def _cut(text: str, limit: int) -> tuple[str, str]:
    """The longest head of `text` within `limit` UTF-16 units, and the rest."""
    size = 0
    for index, char in enumerate(text):
        size += utf16_length(char)
        if size > limit:
            return text[:index], text[index:]
    return text, ""


def _pieces(text: str, limit: int, separators: tuple[str, ...]) -> list[str]:
    """Split at the coarsest separator that keeps pieces within the limit; cut as a last resort."""
    if utf16_length(text) <= limit:
        return [text]
    if not separators:
        head, rest = _cut(text, limit)
        return [head, *_pieces(rest, limit, ())]
    separator, finer = separators[0], separators[1:]
    chunks: list[str] = []
    current = ""
    for part in text.split(separator):
        candidate = f"{current}{separator}{part}" if current else part
        if utf16_length(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        if utf16_length(part) <= limit:
            current = part
        else:
            *whole, current = _pieces(part, limit, finer)
            chunks += whole
    if current:
        chunks.append(current)
    return chunks


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split at paragraphs, then lines, then words, so each chunk fits one message."""
    chunks = _pieces(text, limit, ("\n\n", "\n", " "))
    return [chunk for chunk in chunks if chunk.strip()]


def keyboard(buttons: list[Button]) -> InlineKeyboardMarkup | None:
    """One button per row (labels in some languages are long); emoji-only ones side by side."""
    if not buttons:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    for button in buttons:
        size = len(button.payload.encode())
        if not 1 <= size <= MAX_CALLBACK_DATA:
            raise ValueError(f"callback_data of {size} bytes: Telegram allows 1-64")
        key = InlineKeyboardButton(button.label, callback_data=button.payload)
        short = len(button.label) <= SHORT_LABEL
        if short and rows and all(len(k.text) <= SHORT_LABEL for k in rows[-1]):
            rows[-1].append(key)
        else:
            rows.append([key])
    return InlineKeyboardMarkup(rows)


def location_prompt(request: LocationRequest) -> Message:
    """Telegram's own "share location" button, which only a reply keyboard can carry."""
    button = KeyboardButton(request.label, request_location=True)
    markup = ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    return Message(html.escape(request.text, quote=False), markup)


def render(reply: Reply) -> list[Message]:
    """One Reply as messages in HTML parse mode; the buttons go under the last one."""
    text = isolate_latin(reply.text) if reply.language in RTL else reply.text
    chunks = split_text(text) or ["…"]
    messages = [Message(html.escape(chunk, quote=False)) for chunk in chunks]
    messages[-1] = Message(messages[-1].text, keyboard(reply.buttons))
    if reply.location is not None:
        messages.append(location_prompt(reply.location))
    return messages


def render_voice(reply: Reply) -> VoiceMessage | None:
    """A reply's voice note as Telegram's voice message; None for a reply of text."""
    if reply.voice is None:
        return None
    return VoiceMessage(reply.voice.path, reply.voice.seconds, keyboard(reply.buttons))
