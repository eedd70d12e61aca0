"""My profile: link the account's Telegram chat by a one-time code sent to the bot from it.

A typed chat id is not accepted: anyone could type someone else's, and the official bot would
then write announcement tests (drafts too) to a stranger or to the mediators' group.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin import audit
from admin.auth import requires
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
    Route("/profile/unlink", unlink, methods=["POST"]),
]
