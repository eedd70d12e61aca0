"""Accounts and the audit log: for admins only."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import audit
from admin.auth import UserError, WeakPassword, create_user, requires, set_password
from admin.roles import ADMINS
from admin.templating import flash, gettext, page
from storage.admin import AdminUser, Role


def _public(user: AdminUser) -> dict[str, object]:
    """What the audit log keeps of an account: never the password hash."""
    return {"username": user.username, "role": user.role.value, "active": user.active}


@requires(ADMINS)
async def users(request: Request) -> Response:
    """All accounts and the form for a new one."""
    with request.app.state.sessions() as session:
        rows = list(session.scalars(select(AdminUser).order_by(AdminUser.username)))
    return page(request, "users.html", users=rows)


@requires(ADMINS)
async def add_user(request: Request) -> Response:
    """Create an account with a role."""
    _ = gettext(request)
    form = await request.form()
    role = str(form.get("role", ""))
    if role not in {r.value for r in Role}:
        raise HTTPException(400)
    try:
        with request.app.state.sessions.begin() as session:
            user = create_user(
                session,
                str(form.get("username", "")).strip(),
                str(form.get("password", "")),
                Role(role),
            )
            audit.record(
                session,
                request.state.user.username,
                "user.create",
                f"users/{user.username}",
                None,
                _public(user),
            )
    except UserError:
        flash(
            request,
            _(
                "Choose an unused user name without spaces or HTML characters, and a password "
                "of at least 12 characters that is not a common one (a short sentence works)."
            ),
            "error",
        )
    else:
        flash(request, _("Account created."))
    return RedirectResponse("/users", status_code=303)


def _change(request: Request, action: str, change: Callable[[AdminUser], None]) -> Response:
    """Change another account (never one's own: no one locks themselves out), audited."""
    with request.app.state.sessions.begin() as session:
        user = session.get(AdminUser, int(request.path_params["id"]))
        if user is None:
            raise HTTPException(404)
        if user.id == request.state.user.id:
            raise HTTPException(400)
        before = _public(user)
        change(user)
        audit.record(
            session,
            request.state.user.username,
            action,
            f"users/{user.username}",
            before,
            _public(user),
        )
    return RedirectResponse("/users", status_code=303)


@requires(ADMINS)
async def toggle_user(request: Request) -> Response:
    """Disable an account (its sessions end, it can no longer log in) or enable it again."""

    def toggle(user: AdminUser) -> None:
        user.active = not user.active

    return _change(request, "user.active", toggle)


@requires(ADMINS)
async def change_role(request: Request) -> Response:
    """Give an account another role; its sessions end, so it logs in again with the new one."""
    role = str((await request.form()).get("role", ""))
    if role not in {r.value for r in Role}:
        raise HTTPException(400)

    def assign(user: AdminUser) -> None:
        user.role = Role(role)

    return _change(request, "user.role", assign)


@requires(ADMINS)
async def reset_password(request: Request) -> Response:
    """Give another account a new password (forgotten, or feared known): its sessions end."""
    _ = gettext(request)
    password = str((await request.form()).get("password", ""))

    def reset(user: AdminUser) -> None:
        set_password(user, password)

    try:
        response = _change(request, "user.password", reset)
    except WeakPassword as exc:
        flash(request, exc.explain(_), "error")
        return RedirectResponse("/users", status_code=303)
    flash(request, _("Password changed. Every session of that account has ended."))
    return response


@requires(ADMINS)
async def audit_log(request: Request) -> Response:
    """The newest changes, who made them, and the values before and after."""
    with request.app.state.sessions() as session:
        entries = audit.recent(session)
    return page(request, "audit.html", entries=entries)
