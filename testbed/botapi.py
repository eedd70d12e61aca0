"""A small Telegram Bot API server on loopback that behaves like Telegram where it matters.

python-telegram-bot talks to it over real HTTP (`base_url=emulator.base_url`). It keeps what the
bot sent per chat, refuses what Telegram refuses (400 with Telegram's descriptions: text length,
HTML entities, callback_data bytes, keyboard shape, unknown chats and callback queries) and records
every refusal in `errors`, so a test can assert that the bot never sent an invalid request. On
request it enforces Telegram's flood limits (429 with `retry_after`), and a test can make the next
call of a method fail: an HTTP error, a dropped connection, or an answer later than the client
waits (the call is still carried out, as Telegram may deliver a message whose answer was lost).
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

from testbed.checks import (
    BadRequest,
    message_caption,
    message_text,
    reply_markup,
    utf16_length,
)
from testbed.limits import RateLimits

TOKEN = "123456:TEST-token"
BOT_ID = 123456
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Methods that put a message in a chat: the ones Telegram's flood limits count.
SENDING = frozenset({"sendMessage", "editMessageText", "sendVoice", "copyMessage"})
MAX_UPLOAD = 50 * 1024 * 1024  # bytes a bot may upload
# What a user can send besides text, as Telegram delivers it.
MEDIA: dict[str, Any] = {
    "photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}],
    "voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 3},
    "audio": {"file_id": "a1", "file_unique_id": "a1", "duration": 30},
    "video": {"file_id": "m1", "file_unique_id": "m1", "width": 9, "height": 9, "duration": 2},
    "video_note": {"file_id": "n1", "file_unique_id": "n1", "length": 9, "duration": 2},
    "document": {"file_id": "d1", "file_unique_id": "d1", "file_name": "permesso.pdf"},
    "sticker": {
        "file_id": "s1",
        "file_unique_id": "s1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    },
}
# What a copy keeps of a message: its content, never who sent it or what it answered.
COPIED = frozenset({"text", "entities", "caption", "caption_entities", *MEDIA})


@dataclass
class Call:
    """One request the bot made, with its parameters and whether Telegram accepted it."""

    method: str
    params: dict[str, Any]
    error: str | None = None
    injected: bool = False
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Fault:
    """What goes wrong with one call: an HTTP error, a dropped connection, or a late answer."""

    status: int | None = None
    retry_after: int | None = None
    drop: bool = False
    delay: float = 0.0


@dataclass
class BotApiEmulator:
    """The server: queued updates for getUpdates, the chats' messages, every call the bot made."""

    limits: RateLimits | None = None
    base_url: str = ""
    calls: list[Call] = field(default_factory=list)
    messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # What users sent, per chat: Telegram keeps it, so the bot may answer or copy it.
    written: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    commands: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # uploads by their file_id
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _faults: dict[str, list[Fault]] = field(default_factory=dict)
    _chats: set[int] = field(default_factory=set)
    _groups: dict[int, str] = field(default_factory=dict)  # chat id -> title
    _queries: set[str] = field(default_factory=set)
    _delivered: dict[int, list[float]] = field(default_factory=dict)
    _delivery: dict[int, asyncio.Event] = field(default_factory=dict)
    webhook: dict[str, str] = field(default_factory=dict)  # url and secret_token, once set
    # Bot processes behind the webhook's address: a load balancer's round robin among them.
    workers: list[str] = field(default_factory=list)
    _turns: itertools.count[int] = field(default_factory=itertools.count)
    _deliveries: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def errors(self) -> list[Call]:
        """Requests Telegram would have refused (injected faults are not the bot's fault)."""
        return [call for call in self.calls if call.error and not call.injected]

    def fail_next(self, method: str, status: int, retry_after: int | None = None) -> None:
        """Answer the next call of `method` with this HTTP status (429 carries retry_after)."""
        self._faults.setdefault(method, []).append(Fault(status, retry_after))

    def drop_next(self, method: str) -> None:
        """Close the connection of the next call of `method` without answering or doing it."""
        self._faults.setdefault(method, []).append(Fault(drop=True))

    def hang_next(self, method: str, seconds: float) -> None:
        """Carry out the next call of `method` but answer only after `seconds`."""
        self._faults.setdefault(method, []).append(Fault(delay=seconds))

    async def first_reply(self, chat_id: int, since: float) -> float:
        """When the first message or edit the bot made in a chat at or after `since` arrived."""
        while True:
            times = self._delivered.get(chat_id, [])
            index = bisect.bisect_left(times, since)
            if index < len(times):
                return times[index]
            await self._delivery.setdefault(chat_id, asyncio.Event()).wait()

    def arrivals(self) -> list[float]:
        """When each message or edit reached its chat (monotonic clock), in order."""
        return sorted(at for times in self._delivered.values() for at in times)

    async def wait_for(self, chat_id: int, count: int = 1) -> list[dict[str, Any]]:
        """Wait until the bot has sent `count` messages to a chat (a bot in another process)."""
        while len(self.chat(chat_id)) < count:
            await self._delivery.setdefault(chat_id, asyncio.Event()).wait()
        return self.chat(chat_id)

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
        self._chats.add(user_id)
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def group(self, chat_id: int, title: str) -> dict[str, Any]:
        """A supergroup the bot is a member of (its id is negative, as Telegram's are)."""
        self._chats.add(chat_id)
        self._groups[chat_id] = title
        return self._chat_object(chat_id)

    def reply_in_group(
        self, member: dict[str, Any], group_id: int, to: dict[str, Any], text: str
    ) -> int:
        """A group member answers a message (Telegram sends the replied message along)."""
        message = self._user_message(member, text=text, reply_to_message=to)
        message["chat"] = self._chat_object(group_id)
        self._command_entity(message, text)
        return self._queue({"message": message})

    def write_in_group(self, member: dict[str, Any], group_id: int, text: str) -> int:
        """A group member writes a message that answers nothing."""
        message = self._user_message(member, text=text)
        message["chat"] = self._chat_object(group_id)
        self._command_entity(message, text)
        return self._queue({"message": message})

    def send_text(self, user: dict[str, Any], text: str) -> int:
        """The user writes a message (a leading /command gets its bot_command entity)."""
        message = self._user_message(user, text=text)
        self._command_entity(message, text)
        return self._queue({"message": message})

    @staticmethod
    def _command_entity(message: dict[str, Any], text: str) -> None:
        """A leading /command is marked as Telegram marks it."""
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command)}
            ]

    def send_photo(self, user: dict[str, Any]) -> int:
        """The user sends a photo without caption."""
        return self.send_media(user, "photo")

    def send_media(
        self,
        user: dict[str, Any],
        kind: str,
        caption: str | None = None,
        file_id: str | None = None,
    ) -> int:
        """The user sends a photo, voice note, sticker, file… (a key of MEDIA), maybe with a
        caption; `file_id` names the file as Telegram would (unique to it)."""
        media = MEDIA[kind]
        if file_id is not None and isinstance(media, dict):
            media = {**media, "file_id": file_id, "file_unique_id": f"{file_id}-unique"}
        content: dict[str, Any] = {kind: media}
        if caption is not None:
            content["caption"] = caption
        return self._queue({"message": self._user_message(user, **content)})

    def edit_text(self, user: dict[str, Any], message_id: int, text: str) -> int:
        """The user edits a message they sent earlier."""
        message = self._user_message(user, text=text, edit_date=int(time.time()))
        return self._queue({"edited_message": {**message, "message_id": message_id}})

    def tap(self, user: dict[str, Any], message: dict[str, Any], callback_data: str) -> int:
        """The user taps an inline button of a message the bot sent."""
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        assert callback_data in [b.get("callback_data") for b in buttons], callback_data
        return self.press(user, callback_data, message)

    def press(
        self, user: dict[str, Any], callback_data: str, message: dict[str, Any] | None = None
    ) -> int:
        """A callback query with any data: an old keyboard, or a message too old to show (None)."""
        if message is None:  # Telegram's InaccessibleMessage
            chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
            message = {"chat": chat, "message_id": next(self._ids), "date": 0}
        query_id = str(next(self._ids))
        self._queries.add(query_id)
        query = {
            "id": query_id,
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
            if call.method == "sendMessage" and str(call.params.get("chat_id")) == str(chat_id)
        ]
        markups = [m if isinstance(m, dict) else {} for m in sent]
        return next((m["keyboard"] for m in reversed(markups) if "keyboard" in m), [])

    def chat(self, chat_id: int) -> list[dict[str, Any]]:
        """The messages the bot sent to a chat, as they are now (edits applied)."""
        return self.messages.get(chat_id, [])

    # The Bot API.

    def _chat_object(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self._groups:
            return {"id": chat_id, "type": "supergroup", "title": self._groups[chat_id]}
        return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}

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
        message = update.get("message")
        if message is not None:
            self.written.setdefault(message["chat"]["id"], []).append(message)
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
        url = self.workers[next(self._turns) % len(self.workers)] if self.workers else None
        async with ClientSession() as session:
            await session.post(url or self.webhook["url"], json=update, headers=headers)

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params)
        self.calls.append(call)
        fault = self._faults[method].pop(0) if self._faults.get(method) else None
        if fault is not None:
            call.injected = True
            if fault.drop:
                call.error = "injected: connection dropped"
                if request.transport is not None:
                    request.transport.close()
                return web.Response()
            if fault.status is not None:
                if fault.status == 429 and self.limits is not None:
                    self.limits.pause(fault.retry_after or 1)
                return self._fault(call, fault.status, fault.retry_after)
            await asyncio.sleep(fault.delay)
        if self.limits is not None and method in SENDING:
            retry_after = self.limits.admit(params.get("chat_id"))
            if retry_after is not None:
                call.error = f"Too Many Requests: retry after {retry_after}"
                call.injected = self.limits.in_flight()  # sent before the 429 could be read
                return self._too_many(call.error, retry_after)
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
        call.error = f"injected {status}"
        if status == 429:
            return self._too_many(f"Too Many Requests: retry after {retry_after}", retry_after)
        body = {"ok": False, "error_code": status, "description": "Internal Server Error"}
        return web.json_response(body, status=status)

    def _too_many(self, description: str, retry_after: int | None) -> web.Response:
        body = {
            "ok": False,
            "error_code": 429,
            "description": description,
            "parameters": {"retry_after": retry_after},
        }
        return web.json_response(body, status=429)

    def _chat_id(self, params: dict[str, Any]) -> int:
        """The chat a call is for; Telegram knows only chats whose user wrote to the bot."""
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise BadRequest("Bad Request: chat not found") from None
        if chat_id not in self._chats:
            raise BadRequest("Bad Request: chat not found")
        return chat_id

    def _deliver(self, chat_id: int) -> None:
        """Note when a message reached the chat and wake whoever waits for it."""
        self._delivered.setdefault(chat_id, []).append(time.monotonic())
        waiting = self._delivery.pop(chat_id, None)
        if waiting is not None:
            waiting.set()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):  # an upload: its bytes
                params[key] = value.file.read()
                continue
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

    async def api_setWebhook(self, params: dict[str, Any]) -> bool:
        if not str(params.get("url", "")).startswith(("https://", "http://127.0.0.1")):
            raise BadRequest("Bad Request: bad webhook: HTTPS url must be provided for webhook")
        self.webhook = {
            "url": str(params["url"]),
            "secret_token": str(params.get("secret_token", "")),
        }
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
        chat_id = self._chat_id(params)
        content: dict[str, Any] = {"text": message_text(params)}
        answered = self._replied(chat_id, params.get("reply_parameters"))
        if answered is not None:
            content["reply_to_message"] = answered
        return await self._sent(chat_id, params, content)

    async def _sent(
        self, chat_id: int, params: dict[str, Any], content: dict[str, Any]
    ) -> dict[str, Any]:
        """A message from the bot with its content and buttons, kept in its chat."""
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "from": await self.api_getMe({}),
            "chat": self._chat_object(chat_id),
            "date": int(time.time()),
            **content,
        }
        markup = reply_markup(params)
        if markup and "inline_keyboard" in markup:  # a message shows only inline keyboards
            message["reply_markup"] = markup
        self.messages.setdefault(chat_id, []).append(message)
        self._deliver(chat_id)
        return message

    async def api_sendVoice(self, params: dict[str, Any]) -> dict[str, Any]:
        """A voice message: an uploaded file (kept in `files`) or the file_id of an earlier one."""
        chat_id = self._chat_id(params)
        voice = params.get("voice")
        if isinstance(voice, str) and voice in self.files:
            data = self.files[voice]
        elif isinstance(voice, bytes) and 0 < len(voice) <= MAX_UPLOAD:
            data = voice
        else:
            raise BadRequest("Bad Request: wrong file identifier/HTTP URL specified")
        file_id = f"voice{len(self.files) + 1}"
        self.files[file_id] = data
        voice_object = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "duration": int(params.get("duration", 0)),
            "mime_type": "audio/ogg" if data.startswith(b"OggS") else "audio/mpeg",
            "file_size": len(data),
        }
        return await self._sent(chat_id, params, {"voice": voice_object})

    async def api_copyMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        """A copy of a message in another chat: its content, sent by the bot, without its sender
        or a link to the original; a new caption replaces the old. Telegram answers with the
        new message's id only."""
        chat_id = self._chat_id(params)
        source = self._chat_id({"chat_id": params.get("from_chat_id")})
        original = self._find(source, params.get("message_id"))
        if original is None:
            raise BadRequest("Bad Request: message to copy not found")
        content = {key: value for key, value in original.items() if key in COPIED}
        if "caption" in params:
            content.pop("caption_entities", None)
            content.pop("caption", None)
            caption = message_caption(params)
            if caption:
                content["caption"] = caption
        answered = self._replied(chat_id, params.get("reply_parameters"))
        if answered is not None:
            content["reply_to_message"] = answered
        copied = await self._sent(chat_id, params, content)
        return {"message_id": copied["message_id"]}

    def _find(self, chat_id: int, message_id: object) -> dict[str, Any] | None:
        """A message of a chat, the bot's or its user's, by its id."""
        try:
            wanted = int(str(message_id))
        except ValueError:
            return None
        found = [
            m
            for m in [*self.chat(chat_id), *self.written.get(chat_id, [])]
            if m["message_id"] == wanted
        ]
        return found[0] if found else None

    def _replied(self, chat_id: int, parameters: object) -> dict[str, Any] | None:
        """The message a new one answers, as Telegram finds it in the same chat."""
        if not isinstance(parameters, dict):
            return None
        found = self._find(chat_id, parameters.get("message_id"))
        if found is not None:
            return {key: value for key, value in found.items() if key != "reply_to_message"}
        if parameters.get("allow_sending_without_reply"):
            return None
        raise BadRequest("Bad Request: message to be replied not found")

    def _to_edit(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = self._chat_id(params)
        message_id = int(params["message_id"])
        found = [m for m in self.chat(chat_id) if m["message_id"] == message_id]
        if not found:
            raise BadRequest("Bad Request: message to edit not found")
        return chat_id, found[0]

    async def api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message = self._to_edit(params)
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
        self._deliver(chat_id)
        return message

    async def api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if len(str(params.get("text", ""))) > 200:
            raise BadRequest("Bad Request: MESSAGE_TOO_LONG")
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._queries:  # unknown, or answered already
            raise BadRequest(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self._queries.remove(query_id)
        return True

    async def api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        _chat_id, message = self._to_edit(params)
        markup = reply_markup(params)
        if markup == message.get("reply_markup"):
            raise BadRequest("Bad Request: message is not modified")
        message.pop("reply_markup", None)
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        return message
