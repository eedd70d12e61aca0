"""Accounts: argon2 password hashes, login throttling, sessions and every route's role check."""

from __future__ import annotations

import time
import unicodedata
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
from zxcvbn import zxcvbn

from admin.i18n import N_, Gettext
from admin.templating import page
from storage.admin import AdminUser, Role

HASHER = PasswordHasher()
MIN_PASSWORD = 12
MIN_STRENGTH = 3  # zxcvbn's score out of 4: "safely unguessable" against an online attack
MAX_USERNAME = 64  # the column's length
HTML_CHARACTERS = set("<>&\"'`/\\")
# A hash of a random password, so an unknown user name costs as much time as a wrong password.
_DUMMY_HASH = HASHER.hash("not-a-password-of-anyone")
Endpoint = Callable[[Request], Awaitable[Response]]


class UserError(ValueError):
    """A user that cannot be created as asked (the message says why)."""


class WeakPassword(UserError):
    """A password the rules refuse; the reason is a catalog string, said in the interface's
    language where the password was typed."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason % values)
        self.reason, self.values = reason, values

    def explain(self, _: Gettext) -> str:
        """Why, in the language of `_`."""
        return _(self.reason) % self.values


def username_key(typed: str) -> str:
    """The one form of a user name: NFKC, case-folded, without invisible characters, so that
    `Admin`, `ａｄｍｉｎ` and `ad\u200bmin` are all `admin`.

    Raises:
        UserError: nothing visible is left, or it holds spaces, control or HTML characters, or
            it is longer than the column.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", typed).casefold())
    name = "".join(c for c in folded if unicodedata.category(c) != "Cf").strip()
    if not name:
        raise UserError("the user name is empty")
    if len(name) > MAX_USERNAME:
        raise UserError(f"the user name is longer than {MAX_USERNAME} characters")
    if any(c.isspace() or unicodedata.category(c)[0] == "C" or c in HTML_CHARACTERS for c in name):
        raise UserError("the user name holds spaces, control or HTML characters")
    return name


def check_password(password: str, username: str) -> None:
    """A password of at least 12 characters that no common list or pattern guesses.

    Raises:
        WeakPassword: it is shorter, or zxcvbn (common passwords, words, names, keyboard
            patterns, the user name itself) rates it guessable.
    """
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(
            N_("The password needs at least %(count)s characters."), count=MIN_PASSWORD
        )
    if zxcvbn(password[:100], user_inputs=[username])["score"] < MIN_STRENGTH:
        raise WeakPassword(
            N_("The password is too easy to guess: a common password, word or pattern.")
        )


def create_user(session: Session, username: str, password: str, role: Role) -> AdminUser:
    """Add an account under the name's one form; the password is kept only as an argon2 hash."""
    username = username_key(username)
    check_password(password, username)
    if session.scalar(select(AdminUser).where(AdminUser.username == username)) is not None:
        raise UserError(f"user {username!r} exists already")
    user = AdminUser(username=username, password_hash=HASHER.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def set_password(user: AdminUser, password: str) -> None:
    """A new password under the rules of a new account; the account's sessions end with it
    (`storage.admin` moves the session generation on any change of the hash)."""
    check_password(password, user.username)
    user.password_hash = HASHER.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """Whether the password is the one hashed (argon2 verification, never a plain compare)."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str) -> AdminUser | None:
    """The active user with this name and password, else None (in constant-ish time)."""
    try:
        key = username_key(username)
    except UserError:
        key = ""  # no account has it: the dummy hash below still costs the same time
    user = session.scalar(select(AdminUser).where(AdminUser.username == key)) if key else None
    if not password_matches(user.password_hash if user else _DUMMY_HASH, password):
        return None
    if user is None or not user.active:
        return None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    return user


@dataclass
class LoginThrottle:
    """Failed logins counted per account and client together, so an attacker elsewhere does not
    lock the owner out; per client (one address trying many names) and per account from
    everywhere (many addresses trying one) with wider limits, for the same window only.
    """

    attempts: int
    window_seconds: int

    def __post_init__(self) -> None:
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.limits = {
            "pair": RateLimitItemPerSecond(self.attempts, self.window_seconds),
            # A shared office tries several names, but not endlessly.
            "address": RateLimitItemPerSecond(self.attempts * 4, self.window_seconds),
            # A guessing botnet on one account: slowed, the owner waits one window at most.
            "account": RateLimitItemPerSecond(self.attempts * 20, self.window_seconds),
        }

    def _keys(self, username: str, address: str) -> dict[str, tuple[str, ...]]:
        try:
            account = username_key(username)
        except UserError:
            account = username.casefold()[:MAX_USERNAME]
        return {"pair": (account, address), "address": (address,), "account": (account,)}

    def allowed(self, username: str, address: str) -> bool:
        """Whether another try is allowed now."""
        keys = self._keys(username, address)
        return all(self.limiter.test(self.limits[kind], kind, *keys[kind]) for kind in keys)

    def failed(self, username: str, address: str) -> None:
        """Count a failed try."""
        for kind, key in self._keys(username, address).items():
            self.limiter.hit(self.limits[kind], kind, *key)


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
