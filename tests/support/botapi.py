"""A small Telegram Bot API server on loopback that behaves like Telegram where it matters.

python-telegram-bot talks to it over real HTTP (`base_url=emulator.base_url`). It keeps what the
bot sent per chat, refuses what Telegram refuses (400 with Telegram's descriptions: text length,
HTML entities, callback_data bytes) and records every refusal in `errors`, so a test can assert
that the bot never sent an invalid request.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

TOKEN = "123456:TEST-token"
BOT_ID = 123456
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
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
_TAG = re.compile(r"<(/?)([a-z][a-z-]*)((?:\s+[a-z-]+=(?:\"[^\"]*\"|'[^']*'))*)\s*>")
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


def message_text(params: dict[str, Any]) -> str:
    """The text Telegram would show, validated against its limits."""
    raw = str(params.get("text", ""))
    parse_mode = params.get("parse_mode")
    if parse_mode not in (None, "HTML"):
        raise BadRequest(f"Bad Request: unsupported parse_mode {parse_mode} in the emulator")
    text = parse_html(raw) if parse_mode == "HTML" else raw
    if not text.strip():
        raise BadRequest("Bad Request: message text is empty")
    if utf16_length(text) > MAX_TEXT:
        raise BadRequest("Bad Request: message is too long")
    return text


def reply_markup(params: dict[str, Any]) -> dict[str, Any] | None:
    """The inline keyboard, with Telegram's checks on each button."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in markup.get("keyboard", []):
        for button in row:
            if not str(button.get("text", "")).strip():
                raise BadRequest("Bad Request: keyboard button text is empty")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not str(button.get("text", "")).strip():
                raise BadRequest("Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise BadRequest("Bad Request: BUTTON_DATA_INVALID")
    return dict(markup)


@dataclass
class Call:
    """One request the bot made, with its parameters and whether Telegram accepted it."""

    method: str
    params: dict[str, Any]
    error: str | None = None
    injected: bool = False


@dataclass
class BotApiEmulator:
    """The server: queued updates for getUpdates, the chats' messages, every call the bot made."""

    base_url: str = ""
    calls: list[Call] = field(default_factory=list)
    messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    commands: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _faults: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    webhook: dict[str, str] = field(default_factory=dict)  # url and secret_token, once set
    _deliveries: set[asyncio.Task[None]] = field(default_factory=set)
    _sent: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def errors(self) -> list[Call]:
        """Requests Telegram would have refused (injected faults are not the bot's fault)."""
        return [call for call in self.calls if call.error and not call.injected]

    def fail_next(self, method: str, status: int, retry_after: int | None = None) -> None:
        """Answer the next call of `method` with this HTTP status (429 carries retry_after)."""
        self._faults[method] = (status, retry_after)

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/bot"

    async def stop(self) -> None:
        """Close the listening socket and any open long poll."""
        if self._runner is not None:
            await self._runner.cleanup()

    # What a user does.

    def user(self, user_id: int, language_code: str | None = None) -> dict[str, Any]:
        """A Telegram user object."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def send_text(self, user: dict[str, Any], text: str) -> int:
        """The user writes a message (a leading /command gets its bot_command entity)."""
        message = self._user_message(user, text=text)
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command)}
            ]
        return self._queue({"message": message})

    def send_photo(self, user: dict[str, Any]) -> int:
        """The user sends a photo without caption."""
        photo = {"file_id": "photo1", "file_unique_id": "u1", "width": 90, "height": 90}
        return self._queue({"message": self._user_message(user, photo=[photo])})

    def tap(self, user: dict[str, Any], message: dict[str, Any], callback_data: str) -> int:
        """The user taps an inline button of a message the bot sent."""
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        assert callback_data in [b.get("callback_data") for b in buttons], callback_data
        query = {
            "id": str(next(self._ids)),
            "from": user,
            "message": message,
            "chat_instance": str(user["id"]),
            "data": callback_data,
        }
        return self._queue({"callback_query": query})

    def send_location(self, user: dict[str, Any], latitude: float, longitude: float) -> int:
        """The user shares a location (the paperclip, or a location button)."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._queue({"message": self._user_message(user, location=location)})

    def keyboard(self, chat_id: int) -> list[list[dict[str, Any]]]:
        """The reply keyboard the bot last put under the user's input field."""
        sent = [
            call.params.get("reply_markup")
            for call in self.calls
            if call.method == "sendMessage" and int(call.params.get("chat_id", 0)) == chat_id
        ]
        markups = [m if isinstance(m, dict) else {} for m in sent]
        return next((m["keyboard"] for m in reversed(markups) if "keyboard" in m), [])

    async def wait_for(self, chat_id: int, count: int = 1) -> list[dict[str, Any]]:
        """Wait until the bot has sent `count` messages to a chat (a bot in another process)."""
        async with self._sent:
            await self._sent.wait_for(lambda: len(self.chat(chat_id)) >= count)
        return self.chat(chat_id)

    def chat(self, chat_id: int) -> list[dict[str, Any]]:
        """The messages the bot sent to a chat, as they are now (edits applied)."""
        return self.messages.get(chat_id, [])

    # The Bot API.

    def _user_message(self, user: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        return {
            "message_id": next(self._ids),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            **content,
        }

    def _queue(self, update: dict[str, Any]) -> int:
        update_id = next(self._ids)
        if self.webhook:
            task = asyncio.create_task(self._post({"update_id": update_id, **update}))
            self._deliveries.add(task)
            task.add_done_callback(self._deliveries.discard)
            return update_id
        self._updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    async def _post(self, update: dict[str, Any]) -> None:
        """Deliver an update to the webhook as Telegram does, with the secret header."""
        headers = {SECRET_HEADER: self.webhook.get("secret_token", "")}
        async with ClientSession() as session:
            await session.post(self.webhook["url"], json=update, headers=headers)

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params)
        self.calls.append(call)
        if method in self._faults:
            status, retry_after = self._faults.pop(method)
            return self._fault(call, status, retry_after)
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            call.error = f"Not Found: method {method} is not in the emulator"
            return web.json_response(
                {"ok": False, "error_code": 404, "description": call.error}, status=404
            )
        try:
            result = await handler(params)
        except BadRequest as exc:
            call.error = str(exc)
            return web.json_response(
                {"ok": False, "error_code": 400, "description": call.error}, status=400
            )
        return web.json_response({"ok": True, "result": result})

    def _fault(self, call: Call, status: int, retry_after: int | None) -> web.Response:
        call.error, call.injected = f"injected {status}", True
        body: dict[str, Any] = {"ok": False, "error_code": status}
        if status == 429:
            body["description"] = f"Too Many Requests: retry after {retry_after}"
            body["parameters"] = {"retry_after": retry_after}
        else:
            body["description"] = "Internal Server Error"
        return web.json_response(body, status=status)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            try:
                params[key] = json.loads(str(value))
            except json.JSONDecodeError:
                params[key] = str(value)
            if key in ("text", "callback_data") or not isinstance(params[key], dict | list | int):
                params[key] = str(value)
        return params

    async def api_getMe(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "PRIMM bot",
            "username": "primm_test_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def api_deleteWebhook(self, _params: dict[str, Any]) -> bool:
        self.webhook = {}
        return True

    async def api_getWebhookInfo(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    async def api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params["commands"]
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise BadRequest("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise BadRequest("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[str(params.get("language_code", ""))] = commands
        return True

    async def api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0))
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            try:
                await asyncio.wait_for(
                    self._new_update.wait(), timeout=float(params.get("timeout", 0))
                )
            except TimeoutError:
                return []
        return list(self._updates[: int(params.get("limit", 100))])

    async def api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        text = message_text(params)
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "from": await self.api_getMe({}),
            "chat": {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"},
            "date": int(time.time()),
            "text": text,
        }
        markup = reply_markup(params)
        if markup and "inline_keyboard" in markup:  # a message shows only inline keyboards
            message["reply_markup"] = markup
        self.messages.setdefault(chat_id, []).append(message)
        async with self._sent:
            self._sent.notify_all()
        return message

    def _to_edit(self, params: dict[str, Any]) -> dict[str, Any]:
        message_id = int(params["message_id"])
        found = [m for m in self.chat(int(params["chat_id"])) if m["message_id"] == message_id]
        if not found:
            raise BadRequest("Bad Request: message to edit not found")
        return found[0]

    async def api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._to_edit(params)
        text = message_text(params)
        markup = reply_markup(params)
        if text == message["text"] and markup == message.get("reply_markup"):
            raise BadRequest(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        message.update(text=text, edit_date=int(time.time()))
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return message

    async def api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if len(str(params.get("text", ""))) > 200:
            raise BadRequest("Bad Request: MESSAGE_TOO_LONG")
        return True

    async def api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._to_edit(params)
        markup = reply_markup(params)
        if markup == message.get("reply_markup"):
            raise BadRequest("Bad Request: message is not modified")
        message.pop("reply_markup", None)
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        return message

    async def api_setWebhook(self, params: dict[str, Any]) -> bool:
        if not str(params.get("url", "")).startswith(("https://", "http://127.0.0.1")):
            raise BadRequest("Bad Request: bad webhook: HTTPS url must be provided for webhook")
        self.webhook = {
            "url": str(params["url"]),
            "secret_token": str(params.get("secret_token", "")),
        }
        return True
