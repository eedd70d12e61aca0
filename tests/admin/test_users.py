"""Accounts: created by an admin, by `primm admin create-user` or from the environment; disabled
accounts cannot log in; the tool does not start without a session secret."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, select

from admin.server import NotConfigured, ensure_first_admin, session_secret
from shared.settings import Settings
from storage.admin import AdminUser, AuditEntry, Role
from storage.db import make_sessionmaker
from tests.admin.conftest import Client
from tests.support.admin import PASSWORD, csrf_token, login
from tests.support.cli import PRIMM


async def test_admin_creates_an_account_that_can_log_in(
    client_for: Client, content_engine: Engine
) -> None:
    admin = await client_for(Role.ADMIN)
    page = await admin.get("/users")
    data = {"username": "amina", "password": "lunga-password-1", "role": "mediator"}
    await admin.post("/users", data={"csrftoken": csrf_token(page.text), **data})
    assert (await login(await client_for(None), "amina", "lunga-password-1")).status_code == 303
    with make_sessionmaker(content_engine)() as session:
        user = session.scalar(select(AdminUser).where(AdminUser.username == "amina"))
        assert user is not None and user.role is Role.MEDIATOR
        assert user.password_hash.startswith("$argon2id$")
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create"))
        assert entry is not None and entry.after == {
            "username": "amina",
            "role": "mediator",
            "active": True,
        }


async def test_short_password_is_refused(client_for: Client, content_engine: Engine) -> None:
    admin = await client_for(Role.ADMIN)
    page = await admin.get("/users")
    data = {"username": "corto", "password": "short", "role": "editor"}
    await admin.post("/users", data={"csrftoken": csrf_token(page.text), **data})
    with make_sessionmaker(content_engine)() as session:
        assert session.scalar(select(AdminUser).where(AdminUser.username == "corto")) is None


async def test_disabled_account_is_logged_out_and_cannot_log_in(
    client_for: Client, content_engine: Engine
) -> None:
    editor = await client_for(Role.EDITOR)
    assert (await editor.get("/events")).status_code == 200
    with make_sessionmaker(content_engine)() as session:
        editor_id = session.scalar(select(AdminUser.id).where(AdminUser.username == "editor"))
    admin = await client_for(Role.ADMIN)
    page = await admin.get("/users")
    await admin.post(f"/users/{editor_id}/active", data={"csrftoken": csrf_token(page.text)})
    assert (await editor.get("/events")).status_code == 303
    assert (await login(await client_for(None), "editor", PASSWORD)).status_code == 401


def test_create_user_command(content_engine: Engine) -> None:
    url = content_engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [PRIMM, "admin", "create-user", "lucia", "--role", "editor"],
        input="una-password-sicura\n",
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    assert "created editor lucia" in done.stdout
    again = subprocess.run(
        [PRIMM, "admin", "create-user", "lucia"],
        input="una-password-sicura\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert again.returncode != 0
    assert "exists already" in again.stderr


def test_first_admin_from_the_environment(settings: Settings, content_engine: Engine) -> None:
    sessions = make_sessionmaker(content_engine)
    local = settings.model_copy(
        update={
            "admin": settings.admin.model_copy(
                update={"username": "capo", "password": SecretStr("password-dal-env")}
            )
        }
    )
    assert ensure_first_admin(local, sessions) is True
    assert ensure_first_admin(local, sessions) is False
    assert ensure_first_admin(settings, sessions) is False  # no variables: no account


def test_no_start_without_a_session_secret(settings: Settings, tmp_path: Path) -> None:
    assert settings.admin.session_secret is None
    with pytest.raises(NotConfigured, match="PRIMM_ADMIN__SESSION_SECRET"):
        session_secret(settings)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRIMM_ADMIN__")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.db'}"
    done = subprocess.run(
        [PRIMM, "admin", "serve"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode != 0
    assert "PRIMM_ADMIN__SESSION_SECRET" in done.stderr
