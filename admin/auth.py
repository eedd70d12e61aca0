"""Accounts: argon2 password hashes, login throttling, sessions and every route's role check."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.templating import page
from storage.admin import AdminUser, Role

HASHER = PasswordHasher()
MIN_PASSWORD = 10
# A hash of a random password, so an unknown user name costs as much time as a wrong password.
_DUMMY_HASH = HASHER.hash("not-a-password-of-anyone")
Endpoint = Callable[[Request], Awaitable[Response]]


class UserError(ValueError):
    """A user that cannot be created as asked (the message says why)."""


def create_user(session: Session, username: str, password: str, role: Role) -> AdminUser:
    """Add an account; the password is kept only as an argon2 hash."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password needs at least {MIN_PASSWORD} characters")
    if session.scalar(select(AdminUser).where(AdminUser.username == username)) is not None:
        raise UserError(f"user {username!r} exists already")
    user = AdminUser(username=username, password_hash=HASHER.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> AdminUser | None:
    """The active user with this name and password, else None (in constant-ish time)."""
    user = session.scalar(select(AdminUser).where(AdminUser.username == username))
    try:
        HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    return user


@dataclass
class LoginThrottle:
    """Failed logins per user name and per client address in a moving window."""

    attempts: int
    window_seconds: int

    def __post_init__(self) -> None:
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.per_user = RateLimitItemPerSecond(self.attempts, self.window_seconds)
        # One address may try several names (a shared office), but not endlessly.
        self.per_address = RateLimitItemPerSecond(self.attempts * 4, self.window_seconds)

    def allowed(self, username: str, address: str) -> bool:
        """Whether another try is allowed now."""
        return self.limiter.test(self.per_user, "user", username.lower()) and self.limiter.test(
            self.per_address, "address", address
        )

    def failed(self, username: str, address: str) -> None:
        """Count a failed try."""
        self.limiter.hit(self.per_user, "user", username.lower())
        self.limiter.hit(self.per_address, "address", address)


def start_session(request: Request, user: AdminUser) -> None:
    """A new session for the account: its generation and the time of login go in the cookie."""
    request.session.clear()  # so an old cookie cannot be fixed upon
    request.session.update(uid=user.id, gen=user.session_generation, since=int(time.time()))


def end_sessions(user: AdminUser) -> None:
    """Every cookie of this account, on any device, stops logging anyone in."""
    user.session_generation += 1


def current_user(request: Request) -> AdminUser | None:
    """The logged-in, still active account of this request (roles are read fresh each time).

    A cookie of an older session generation, or older than the absolute lifetime, is dropped.
    """
    uid = request.session.get("uid")
    if uid is None:
        return None
    with request.app.state.sessions() as session:
        user: AdminUser | None = session.get(AdminUser, uid)
    lifetime = request.app.state.settings.admin.session_absolute_hours * 3600
    since = request.session.get("since", 0)
    if (
        user is None
        or not user.active
        or request.session.get("gen") != user.session_generation
        or time.time() - since > lifetime
    ):
        request.session.clear()
        return None
    return user


def requires(roles: Collection[Role]) -> Callable[[Endpoint], Endpoint]:
    """Admit only logged-in users with one of `roles`: others go to the login or get 403."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        @wraps(endpoint)
        async def guarded(request: Request) -> Response:
            user = current_user(request)
            if user is None:
                return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
            if user.role not in roles:
                return page(request, "forbidden.html", status_code=403)
            request.state.user = user
            return await endpoint(request)

        return guarded

    return decorate
