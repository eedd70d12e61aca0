"""Login, logout, the interface language and the start page."""

from __future__ import annotations

import asyncio

from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import i18n
from admin.auth import authenticate, current_user, end_sessions, requires, start_session
from admin.roles import ANYONE
from admin.templating import gettext, page
from storage.admin import AdminUser

LANGUAGE_COOKIE_DAYS = 365


def _safe_next(target: str) -> str:
    """Only paths of this site, so the login form cannot send people elsewhere."""
    # "//host" and "/\\host" are read by browsers as another site.
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    return target if local else "/"


async def login_form(request: Request) -> Response:
    """The login page (or the start page for someone already logged in)."""
    if current_user(request) is not None:
        return RedirectResponse("/", status_code=303)
    return page(request, "login.html", next=_safe_next(request.query_params.get("next", "/")))


def _logged_in(sessions: sessionmaker[Session], username: str, password: str) -> AdminUser | None:
    """The account these name and password open (a rehashed password is saved), else None."""
    with sessions.begin() as session:
        user = authenticate(session, username, password)
        if user is not None:
            session.flush()  # a rehashed password has moved the session generation
        return user


async def login(request: Request) -> Response:
    """Check the password, throttling repeated failures per user name and address."""
    _ = gettext(request)
    form = await request.form()
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "/")))
    address = request.client.host if request.client else "unknown"
    throttle = request.app.state.throttle
    if not throttle.allowed(username, address):
        message = _("Too many failed attempts. Wait a few minutes and try again.")
        return page(request, "login.html", status_code=429, error=message, next=target)
    # argon2 takes tens of milliseconds of CPU on purpose: off the event loop, with its query.
    user = await asyncio.to_thread(_logged_in, request.app.state.sessions, username, password)
    if user is not None:
        start_session(request, user)
    if user is None:
        throttle.failed(username, address)
        message = _("Wrong user name or password.")
        return page(request, "login.html", status_code=401, error=message, next=target)
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    """End every session of the account, so a copy of this cookie is worth nothing either."""
    user = current_user(request)
    if user is not None:
        with request.app.state.sessions.begin() as session:
            end_sessions(session.get_one(AdminUser, user.id))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def set_language(request: Request) -> Response:
    """Switch the interface between Italian and English."""
    form = await request.form()
    chosen = str(form.get("language", ""))
    response = RedirectResponse(_safe_next(str(form.get("next", "/"))), status_code=303)
    if chosen in i18n.LANGUAGES:
        response.set_cookie(
            "admin_lang", chosen, max_age=LANGUAGE_COOKIE_DAYS * 86400, samesite="lax"
        )
    return response


@requires(ANYONE)
async def home(request: Request) -> Response:
    """Start page: links to what this role may do."""
    return page(request, "home.html")
