"""The admin ASGI app: routes, signed session cookie and CSRF on every form.

Pages are hand-written Starlette views rather than sqladmin's: sqladmin ships no Italian
catalog, sends deletes and row actions as script requests without a CSRF token, and would
validate with WTForms what `content.schema` already validates for the seed files.
CSRF uses asgi-csrf (double-submit cookie, token read from the form body); starlette-csrf
reads the token from a header only, which plain HTML forms cannot send.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from asgi_csrf import asgi_csrf
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from admin.announcements import TestLimit
from admin.auth import LoginThrottle
from admin.limits import BoundedBodies
from admin.session import CookieSession
from admin.templating import page
from admin.training import Trainer
from admin.views import (
    analytics,
    announcements,
    auth,
    chat,
    faqs,
    inbox,
    profile,
    records,
    stale,
    training,
    users,
    voices,
)
from dialogue.core import Dialogue
from shared.settings import Settings

log = logging.getLogger(__name__)
# Form fields never shown back: the token is renewed, a password is typed again.
NOT_KEPT = {"csrftoken", "password", "current_password", "new_password", "repeat_password"}

SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    # "Try the bot" carries a voice note in its page (media only: no script runs from data:).
    (
        b"content-security-policy",
        b"default-src 'self'; style-src 'self' 'unsafe-inline'; media-src 'self' data:",
    ),
]


class SecurityHeaders:
    """No framing (clickjacking), no scripts from elsewhere, no sniffing, no referrer leaks."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


ROUTES = [
    Route("/", auth.home, methods=["GET"]),
    Route("/login", auth.login_form, methods=["GET"]),
    Route("/login", auth.login, methods=["POST"]),
    Route("/logout", auth.logout, methods=["POST"]),
    Route("/language", auth.set_language, methods=["POST"]),
    Route("/faqs", faqs.faq_list, methods=["GET"]),
    Route("/faqs/new", inbox.new_faq_form, methods=["GET"]),
    Route("/faqs/new", inbox.new_faq, methods=["POST"]),
    Route("/faqs/{slug}", faqs.faq_editor, methods=["GET"]),
    Route("/faqs/{slug}/{lang}", faqs.faq_save, methods=["POST"]),
    Route("/faqs/{slug}/{lang}/publish", faqs.faq_publish, methods=["POST"]),
    Route("/faqs/{slug}/{lang}/review", faqs.faq_review, methods=["POST"]),
    Route("/faqs/{slug}/{lang}/restore/{version:int}", faqs.faq_restore, methods=["POST"]),
    Route("/coverage", faqs.coverage, methods=["GET"]),
    Route("/inbox", inbox.inbox_page, methods=["GET"]),
    Route("/inbox/examples", inbox.add_examples, methods=["POST"]),
    Route("/analytics", analytics.analytics_page, methods=["GET"]),
    Route("/analytics.csv", analytics.analytics_csv, methods=["GET"]),
    *records.ROUTES,
    Route("/stale", stale.stale, methods=["GET"]),
    *announcements.ROUTES,
    *profile.ROUTES,
    Route("/try", chat.try_page, methods=["GET"]),
    Route("/try", chat.try_send, methods=["POST"]),
    *voices.ROUTES,
    Route("/training", training.training, methods=["GET"]),
    Route("/training", training.retrain, methods=["POST"]),
    Route("/users", users.users, methods=["GET"]),
    Route("/users", users.add_user, methods=["POST"]),
    Route("/users/{id:int}/active", users.toggle_user, methods=["POST"]),
    Route("/users/{id:int}/role", users.change_role, methods=["POST"]),
    Route("/users/{id:int}/password", users.reset_password, methods=["POST"]),
    Route("/audit", users.audit_log, methods=["GET"]),
]


async def database_unavailable(request: Request, exc: Exception) -> Response:
    """The database is away (a restart, a failover): say nothing was saved, give the text back."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, type(exc))
    kept: list[tuple[str, str]] = []
    if request.method == "POST":
        form = await request.form()
        kept = [(k, v) for k, v in form.multi_items() if k not in NOT_KEPT and isinstance(v, str)]
    return page(request, "unavailable.html", status_code=503, kept=kept, action=request.url.path)


@dataclass
class Parts:
    """What the tool works on: the database, the dialogue core and the trainer."""

    sessions: sessionmaker[Session]
    dialogue: Dialogue
    trainer: Trainer


def create_app(settings: Settings, parts: Parts, secret: str) -> ASGIApp:
    """The admin app over the given parts; `secret` signs the session and CSRF cookies."""
    admin = settings.admin
    app = Starlette(
        routes=ROUTES,
        exception_handlers={
            OperationalError: database_unavailable,
            InterfaceError: database_unavailable,
        },
        middleware=[
            Middleware(
                CookieSession,
                secret=secret,
                idle_seconds=admin.session_hours * 3600,
                secure=admin.secure_cookies,
            )
        ],
    )
    app.state.settings = settings
    app.state.sessions = parts.sessions
    app.state.dialogue = parts.dialogue
    app.state.trainer = parts.trainer
    app.state.throttle = LoginThrottle(admin.login_attempts, admin.login_window_seconds)
    app.state.test_limit = TestLimit(admin.test_sends_per_hour)
    protected = asgi_csrf(
        app,
        signing_secret=secret,
        always_protect={"/login"},
        cookie_secure=admin.secure_cookies,
        cookie_samesite="Strict",
    )
    return SecurityHeaders(BoundedBodies(protected, admin.max_body_bytes))
