"""The signed session cookie, written only when it changes or nears its idle end.

Starlette's SessionMiddleware signs the cookie anew whenever a view touches the session, so a
copied cookie lived as long as anyone used it. Here the cookie is re-issued when its content
changes (login, logout, a flash note) or when it has been idle for a tenth of its lifetime; the
account's session generation and the absolute lifetime are checked in `admin.auth`.
"""

from __future__ import annotations

import json
import time
from base64 import b64decode, b64encode
from typing import Any

from itsdangerous import BadSignature, TimestampSigner
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "primm_admin"
# A cookie older than this share of the idle lifetime is signed again on the next request.
REFRESH_SHARE = 10


def _dump(session: dict[str, Any]) -> str:
    return json.dumps(session, sort_keys=True)


class CookieSession:
    """`scope["session"]` from a signed cookie that expires after `idle_seconds` without use."""

    def __init__(self, app: ASGIApp, secret: str, idle_seconds: int, secure: bool) -> None:
        self.app = app
        self.signer = TimestampSigner(secret)
        self.idle = idle_seconds
        self.flags = "httponly; samesite=strict" + ("; secure" if secure else "")

    def _read(self, cookie: str | None) -> tuple[dict[str, Any], float | None]:
        """The session and when its cookie was signed (None: no valid cookie)."""
        if cookie is None:
            return {}, None
        try:
            data, signed = self.signer.unsign(cookie, max_age=self.idle, return_timestamp=True)
            return json.loads(b64decode(data)), signed.timestamp()
        except (BadSignature, ValueError):
            return {}, None

    def _header(self, session: dict[str, Any]) -> str:
        if not session:
            return f"{COOKIE}=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; {self.flags}"
        data = self.signer.sign(b64encode(_dump(session).encode())).decode()
        return f"{COOKIE}={data}; path=/; Max-Age={self.idle}; {self.flags}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session, signed = self._read(HTTPConnection(scope).cookies.get(COOKIE))
        before = _dump(session)
        scope["session"] = session

        async def send_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                changed = _dump(session) != before
                stale = signed is not None and time.time() - signed > self.idle / REFRESH_SHARE
                if (changed and (session or signed is not None)) or (stale and session):
                    MutableHeaders(scope=message).append("set-cookie", self._header(session))
            await send(message)

        await self.app(scope, receive, send_cookie)
