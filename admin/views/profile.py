"""My profile: my password, and the account's Telegram chat linked by a one-time code sent
to the bot from it.

A typed chat id is not accepted: anyone could type someone else's, and the official bot would
then write announcement tests (drafts too) to a stranger or to the mediators' group.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin import audit
from admin.auth import WeakPassword, password_matches, requires, set_password, start_session
from admin.roles import ANYONE
from admin.templating import flash, gettext, page
from shared.settings import Settings
from storage.admin import AdminUser
from storage.links import LINK_PREFIX, new_code


def _page(request: Request, code: str | None = None) -> Response:
    settings: Settings = request.app.state.settings
    with request.app.state.sessions() as session:
        linked = session.get_one(AdminUser, request.state.user.id).telegram_chat_id is not None
    bot = settings.telegram.bot_username
    deep_link = f"https://t.me/{bot}?start={LINK_PREFIX}{code}" if bot and code else None
    return page(
        request,
        "profile.html",
        linked=linked,
        code=code,
        command=f"/start {LINK_PREFIX}{code}" if code else None,
        deep_link=deep_link,
        minutes=settings.admin.link_code_minutes,
    )


@requires(ANYONE)
async def profile(request: Request) -> Response:
    """Whether a chat is linked, and the button for a new code."""
    return _page(request)


@requires(ANYONE)
async def link_code(request: Request) -> Response:
    """A new one-time code, shown once on this page and kept only as a hash."""
    minutes = request.app.state.settings.admin.link_code_minutes
    with request.app.state.sessions.begin() as session:
        code = new_code(
            session, request.state.user.id, datetime.now(UTC), timedelta(minutes=minutes)
        )
    return _page(request, code)


def _password_refusal(request: Request, current: str, new: str, repeated: str) -> str | None:
    """Why the account's password cannot change so (None: changed, this session renewed)."""
    _ = gettext(request)
    username: str = request.state.user.username
    address = request.client.host if request.client else "unknown"
    throttle = request.app.state.throttle
    if not throttle.allowed(username, address):
        return _("Too many failed attempts. Wait a few minutes and try again.")
    if new != repeated:
        return _("The two new passwords differ: type the same one twice.")
    with request.app.state.sessions.begin() as session:
        account = session.get_one(AdminUser, request.state.user.id)
        if not password_matches(account.password_hash, current):
            throttle.failed(username, address)
            return _("Your current password is wrong.")
        try:
            set_password(account, new)
        except WeakPassword as exc:
            return exc.explain(_)
        audit.record(session, username, "user.password", f"users/{username}", None, None)
    start_session(request, account)  # of the new session generation: this one goes on
    return None


@requires(ANYONE)
async def change_password(request: Request) -> Response:
    """A new password, given the current one: every other session of the account ends, this
    one goes on. A wrong current password counts as a failed login, so a stolen session cannot
    guess its way to the password.
    """
    _ = gettext(request)
    form = await request.form()
    refusal = _password_refusal(
        request,
        str(form.get("current_password", "")),
        str(form.get("new_password", "")),
        str(form.get("repeat_password", "")),
    )
    if refusal is None:
        flash(request, _("Your password is changed. Your other sessions have ended."))
    else:
        flash(request, refusal, "error")
    return RedirectResponse("/profile", status_code=303)


@requires(ANYONE)
async def unlink(request: Request) -> Response:
    """Forget the linked chat: no more tests go anywhere until a chat is linked again."""
    with request.app.state.sessions.begin() as session:
        account = session.get_one(AdminUser, request.state.user.id)
        before = {"telegram_chat_id": account.telegram_chat_id}
        account.telegram_chat_id = None
        audit.record(
            session,
            account.username,
            "profile.unlink",
            f"users/{account.username}",
            before,
            {"telegram_chat_id": None},
        )
    _ = gettext(request)
    flash(request, _("Your Telegram chat is no longer linked."))
    return RedirectResponse("/profile", status_code=303)


ROUTES = [
    Route("/profile", profile, methods=["GET"]),
    Route("/profile/code", link_code, methods=["POST"]),
    Route("/profile/password", change_password, methods=["POST"]),
    Route("/profile/unlink", unlink, methods=["POST"]),
]
