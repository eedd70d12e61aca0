"""Running the tool: parts from the settings, the first admin from the environment, uvicorn."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import ASGIApp

from admin.app import Parts, create_app
from admin.auth import UserError, create_user, username_key
from admin.training import Trainer
from dialogue.app import build_app
from shared.health import health_routes
from shared.settings import Settings
from storage.admin import AdminUser, Role


class NotConfigured(RuntimeError):
    """The tool cannot start safely as configured (the message says what to set)."""


def session_secret(settings: Settings) -> str:
    """The secret that signs cookies; there is no default, so a missing one stops the start."""
    secret = settings.admin.session_secret
    if secret is None or len(secret.get_secret_value()) < 32:
        raise NotConfigured(
            "set PRIMM_ADMIN__SESSION_SECRET to a random string of at least 32 characters, "
            'e.g. python -c "import secrets; print(secrets.token_urlsafe(48))"'
        )
    return secret.get_secret_value()


def ensure_first_admin(settings: Settings, sessions: sessionmaker[Session]) -> bool:
    """Create the admin named by PRIMM_ADMIN__USERNAME/PASSWORD unless it exists."""
    username, password = settings.admin.username, settings.admin.password
    if not username or password is None:
        return False
    try:
        key = username_key(username)
    except UserError as exc:
        raise NotConfigured(f"PRIMM_ADMIN__USERNAME: {exc}") from exc
    with sessions.begin() as session:
        if session.scalar(select(AdminUser).where(AdminUser.username == key)):
            return False
        try:
            create_user(session, key, password.get_secret_value(), Role.ADMIN)
        except UserError as exc:
            raise NotConfigured(f"PRIMM_ADMIN__PASSWORD: {exc}") from exc
    return True


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[ASGIApp]:
    """The app over the configured database and Rasa server, released afterwards."""
    secret = session_secret(settings)
    # The tool's dialogue core serves "try the bot" only: staff's questions are not users'.
    app = build_app(settings, record=False)
    ensure_first_admin(settings, app.sessions)
    trainer = Trainer(app.sessions, settings.nlu.url)
    trainer.recover()  # runs left by a process that was killed
    tool = create_app(settings, Parts(app.sessions, app.dialogue, trainer), secret)
    # Health beside the tool, on its port: compose and monitoring watch it as the bot's.
    routes = [*health_routes(app.engine, settings.nlu.url), Mount("/", tool)]
    try:
        yield Starlette(routes=routes)
    finally:
        await trainer.stop()
        await app.aclose()


async def serve(settings: Settings) -> None:
    """Serve the tool at the configured address until cancelled."""
    async with running_app(settings) as app:
        await uvicorn.Server(server_config(settings, app)).serve()


def server_config(settings: Settings, app: ASGIApp) -> uvicorn.Config:
    """Uvicorn's settings: X-Forwarded-For is believed only from the proxies named in
    `admin.trusted_proxies` (uvicorn's default believes any local client, and the login
    throttle's per-address limit went with it)."""
    proxies = settings.admin.trusted_proxies
    return uvicorn.Config(
        app,
        host=settings.admin.host,
        port=settings.admin.port,
        log_level="warning",
        proxy_headers=bool(proxies),
        forwarded_allow_ips=list(proxies),
    )
