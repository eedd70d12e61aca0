"""Sessions that end: a copied cookie dies with logout, a role change or the absolute lifetime,
and an ordinary page visit does not hand out a fresh cookie."""

from __future__ import annotations

import json
import time
from base64 import b64decode, b64encode

from itsdangerous import TimestampSigner
from sqlalchemy import Engine

from admin.session import COOKIE
from storage.admin import Role
from tests.admin.conftest import Client, account_id, copy_of
from tests.support.admin import SECRET, csrf_token, post_form


async def test_a_copied_cookie_stops_working_after_logout(client_for: Client) -> None:
    editor = await client_for(Role.EDITOR)
    thief = await copy_of(editor, client_for)
    assert (await thief.get("/events")).status_code == 200
    await post_form(editor, "/logout", {}, page="/")
    assert (await thief.get("/events")).headers["location"].startswith("/login")
    # Any other session of the account ends too (another device).
    assert (await editor.get("/events")).status_code == 303


async def test_a_role_change_ends_the_sessions_of_that_account(
    client_for: Client, content_engine: Engine
) -> None:
    editor = await client_for(Role.EDITOR)
    thief = await copy_of(editor, client_for)
    admin = await client_for(Role.ADMIN)
    token = csrf_token((await admin.get("/users")).text)
    path = f"/users/{account_id(content_engine, 'editor')}/role"
    changed = await admin.post(path, data={"csrftoken": token, "role": "association"})
    assert changed.status_code == 303
    for client in (editor, thief):
        assert (await client.get("/")).headers["location"].startswith("/login")
    assert "association" in (await admin.get("/users")).text
    assert (await admin.get("/users")).status_code == 200  # the admin's own session goes on


async def test_an_ordinary_page_visit_does_not_reissue_the_cookie(client_for: Client) -> None:
    editor = await client_for(Role.EDITOR)
    await editor.get("/try")  # the first visit keeps the conversation's state
    for path in ("/try", "/", "/events", "/try"):
        response = await editor.get(path)
        assert response.status_code == 200
        assert COOKIE not in response.headers.get("set-cookie", ""), path


async def test_a_session_ends_after_its_absolute_lifetime_however_used(
    client_for: Client, content_engine: Engine
) -> None:
    editor = await client_for(Role.EDITOR)
    assert (await editor.get("/events")).status_code == 200
    # The same session signed a moment ago, as a refresh would, but logged in 25 hours ago.
    session = json.loads(b64decode(TimestampSigner(SECRET).unsign(editor.cookies[COOKIE])))
    session["since"] = int(time.time()) - 25 * 3600
    resigned = TimestampSigner(SECRET).sign(b64encode(json.dumps(session).encode()))
    editor.cookies.set(COOKIE, resigned.decode())
    assert (await editor.get("/events")).headers["location"].startswith("/login")
