"""Request bodies bounded and well-formed before anything parses them.

The CSRF check reads a POST's whole body before any login (asgi-csrf), and it and Starlette
parse forms with python-multipart in ways that disagree on bad input: 48 MB cost seconds of
CPU, a multipart body without a boundary or a form that is not UTF-8 raised 500s. This
middleware, outside both, refuses a body over the limit (413) without reading past it, then
reads form fields strictly as UTF-8 and refuses what it cannot read (400). What passes is
handed on unchanged.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin import i18n
from admin.i18n import N_

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
TOO_LARGE = N_("The request is too large.")
UNREADABLE = N_("The form could not be read: send it again from the page.")


class TooLarge(Exception):
    """The body went past the limit while it was read."""


def well_formed(content_type: str, body: bytes) -> bool:
    """Whether a form body reads as UTF-8 fields without NUL characters.

    The tool's forms never send files, so a multipart body is refused whole: the installed
    asgi-csrf passes python-multipart an argument it no longer takes, and fails on any.
    """
    kind = content_type.partition(";")[0].strip().lower()
    if kind == MULTIPART:
        return False
    if kind == FORM:
        try:
            fields = parse_qsl(body.decode("utf-8"), encoding="utf-8", errors="strict")
        except (UnicodeDecodeError, ValueError):
            return False
        # PostgreSQL's text holds no NUL (SQLite's does): refused alike on both.
        return not any("\x00" in key or "\x00" in value for key, value in fields)
    return True


class BoundedBodies:
    """At most `limit` bytes of body per request (413), forms well-formed (400)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > self.limit:
            await self._refuse(scope, receive, send, 413, TOO_LARGE)
            return
        try:
            body = await self._read(receive)
        except TooLarge:
            await self._refuse(scope, receive, send, 413, TOO_LARGE)
            return
        if not well_formed(headers.get("content-type", ""), body):
            await self._refuse(scope, receive, send, 400, UNREADABLE)
            return
        await self.app(scope, replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes:
        """The whole body, stopping as soon as it passes the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)  # the client went away: nothing more comes
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, text: str) -> None:
        request = Request(scope)
        language = i18n.pick(
            request.cookies.get("admin_lang"), request.headers.get("accept-language", "")
        )
        message = i18n.translations(language).gettext(text)
        await PlainTextResponse(message, status_code=status)(scope, receive, send)


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body already read, then what the client sends next."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
