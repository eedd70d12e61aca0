"""What the Telegram Bot API refuses, with its descriptions: the checks of the emulator."""

from __future__ import annotations

import html
import json
import re
from typing import Any

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
# Tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style).
HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
# Attributes a tag cannot go without.
REQUIRED_ATTRIBUTES = {"span": ("class", "tg-spoiler"), "tg-emoji": ("emoji-id", None)}
# Fields of an inline button of which exactly one says what it does.
BUTTON_ACTIONS = frozenset(
    {
        "callback_data",
        "url",
        "login_url",
        "web_app",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_TAG = re.compile(r"<(/?)([a-z][a-z-]*)((?:\s+[a-z-]+=(?:\"[^\"]*\"|'[^']*'))*)\s*>")
_ATTRIBUTE = re.compile(r"([a-z-]+)=(?:\"([^\"]*)\"|'([^']*)')")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class BadRequest(Exception):
    """What Telegram answers with HTTP 400 and `"ok": false`."""


def utf16_length(text: str) -> int:
    """Telegram measures text in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The plain text of an HTML-formatted message; raises like Telegram on malformed markup."""
    plain: list[str] = []
    open_tags: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "<":
            tag = _TAG.match(text, position)
            if tag is None or tag.group(2) not in HTML_TAGS:
                raise BadRequest(
                    f"Bad Request: can't parse entities: unsupported start tag at byte offset "
                    f"{len(text[:position].encode())}"
                )
            closing, name = tag.group(1), tag.group(2)
            if not closing and name in REQUIRED_ATTRIBUTES:
                required, value = REQUIRED_ATTRIBUTES[name]
                found = {m[1]: m[2] or m[3] for m in _ATTRIBUTE.finditer(tag.group(3))}
                if required not in found or value not in (None, found[required]):
                    raise BadRequest(
                        f'Bad Request: can\'t parse entities: tag "{name}" must have '
                        f'attribute "{required}"'
                    )
            if closing:
                if not open_tags or open_tags.pop() != name:
                    raise BadRequest(
                        f"Bad Request: can't parse entities: unmatched end tag {name}"
                    )
            else:
                open_tags.append(name)
            position = tag.end()
        elif char == "&":
            entity = _ENTITY.match(text, position)
            if entity is None:
                raise BadRequest(
                    "Bad Request: can't parse entities: character entity expected at byte "
                    f"offset {len(text[:position].encode())}"
                )
            plain.append(html.unescape(entity.group(0)))
            position = entity.end()
        elif char == ">":
            raise BadRequest("Bad Request: can't parse entities: unexpected end tag")
        else:
            plain.append(char)
            position += 1
    if open_tags:
        raise BadRequest(f"Bad Request: can't parse entities: can't find end tag {open_tags[-1]}")
    return "".join(plain)


def _shown(params: dict[str, Any], key: str) -> str:
    """A text or caption as Telegram would show it, after its parse mode."""
    raw = str(params.get(key, ""))
    parse_mode = params.get("parse_mode")
    if parse_mode not in (None, "HTML"):
        raise BadRequest(f"Bad Request: unsupported parse_mode {parse_mode} in the emulator")
    return parse_html(raw) if parse_mode == "HTML" else raw


def message_text(params: dict[str, Any]) -> str:
    """The text Telegram would show, validated against its limits."""
    text = _shown(params, "text")
    if not text.strip():
        raise BadRequest("Bad Request: message text is empty")
    if utf16_length(text) > MAX_TEXT:
        raise BadRequest("Bad Request: message is too long")
    return text


def message_caption(params: dict[str, Any]) -> str:
    """A media message's caption as Telegram would show it, validated against its limit."""
    caption = _shown(params, "caption")
    if utf16_length(caption) > MAX_CAPTION:
        raise BadRequest("Bad Request: message caption is too long")
    return caption


def inline_button(button: object) -> None:
    """One inline button as Telegram checks it: a label and exactly one action."""
    if not isinstance(button, dict):
        raise BadRequest("Bad Request: can't parse inline keyboard button: object expected")
    if not str(button.get("text", "")).strip():
        raise BadRequest("Bad Request: can't parse inline keyboard button: text must be non-empty")
    actions = BUTTON_ACTIONS.intersection(button)
    if not actions:
        raise BadRequest(
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the "
            "inline keyboard"
        )
    if len(actions) > 1:
        raise BadRequest("Bad Request: can't parse inline keyboard button: too many actions")
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
        raise BadRequest("Bad Request: BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not re.match(r"(https?|tg)://\S+$", str(url)):
        raise BadRequest("Bad Request: BUTTON_URL_INVALID")


def reply_markup(params: dict[str, Any]) -> dict[str, Any] | None:
    """The keyboard, with Telegram's checks on its shape and on each inline button."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        raise BadRequest("Bad Request: can't parse reply keyboard markup JSON object")
    for kind in ("inline_keyboard", "keyboard"):
        rows = markup.get(kind)
        if rows is None:
            continue
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise BadRequest(
                f'Bad Request: field "{kind}" of the markup must be an Array of Arrays'
            )
        if kind == "inline_keyboard":
            for row in rows:
                for button in row:
                    inline_button(button)
    return dict(markup)
