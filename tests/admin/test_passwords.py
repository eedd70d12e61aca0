"""Passwords that change: one's own with the current one, another's by an admin; either ends
every other session of the account, on both databases, and is audited without the password."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import Engine, select

from storage.admin import AuditEntry, Role
from storage.db import make_sessionmaker
from tests.admin.conftest import Client, account_id, copy_of
from tests.support.admin import PASSWORD, login, post_form

NEW = "a new and longer passphrase 77"


def password_entries(engine: Engine) -> list[tuple[str, str, object, object]]:
    """Who changed whose password, as the audit log keeps it."""
    with make_sessionmaker(engine)() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.password"))
        return [(e.username, e.target, e.before, e.after) for e in rows]


async def logs_in(client_on_both: Client, username: str, password: str) -> bool:
    return (await login(await client_on_both(None), username, password)).status_code == 303


async def change_own(editor: httpx.AsyncClient, current: str, new: str, again: str) -> str:
    """Change the password on "My profile"; the page shown afterwards."""
    fields = {"current_password": current, "new_password": new, "repeat_password": again}
    changed = await post_form(editor, "/profile/password", fields, page="/profile")
    assert changed.status_code == 303
    return (await editor.get("/profile")).text


async def test_a_changed_password_ends_every_other_session_of_the_account(
    client_on_both: Client, seeded_both: Engine
) -> None:
    editor = await client_on_both(Role.EDITOR)
    thief = await copy_of(editor, client_on_both)
    assert (await thief.get("/events")).status_code == 200

    shown = await change_own(editor, PASSWORD, NEW, NEW)

    assert "La tua password è cambiata." in shown
    assert (await thief.get("/events")).headers["location"].startswith("/login")
    assert (await editor.get("/events")).status_code == 200, "the changer's session goes on"
    assert not await logs_in(client_on_both, "editor", PASSWORD)
    assert await logs_in(client_on_both, "editor", NEW)
    assert password_entries(seeded_both) == [("editor", "users/editor", None, None)]


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        (PASSWORD, "aaaaaaaaaaaaaa", "aaaaaaaaaaaaaa", "La password è troppo facile"),
        (PASSWORD, "Corta1!", "Corta1!", "La password deve avere almeno 12 caratteri."),
        (PASSWORD, NEW, NEW + "!", "Le due nuove password sono diverse"),
        ("not the password at all", NEW, NEW, "La password attuale è sbagliata."),
    ],
    ids=["common", "short", "mistyped", "wrong current"],
)
async def test_a_refused_change_says_why_and_changes_nothing(
    client_on_both: Client,
    seeded_both: Engine,
    current: str,
    new: str,
    again: str,
    message: str,
) -> None:
    editor = await client_on_both(Role.EDITOR)
    thief = await copy_of(editor, client_on_both)

    assert message in await change_own(editor, current, new, again)

    assert (await thief.get("/events")).status_code == 200
    assert await logs_in(client_on_both, "editor", PASSWORD)
    assert password_entries(seeded_both) == []


async def test_the_reason_is_given_in_english_too(client_on_both: Client) -> None:
    editor = await client_on_both(Role.EDITOR)
    editor.cookies.set("admin_lang", "en")
    shown = await change_own(editor, PASSWORD, "password1234", "password1234")
    assert "The password is too easy to guess" in shown


async def test_an_admin_resets_another_accounts_password(
    client_on_both: Client, seeded_both: Engine
) -> None:
    editor = await client_on_both(Role.EDITOR)
    thief = await copy_of(editor, client_on_both)
    admin = await client_on_both(Role.ADMIN)
    path = f"/users/{account_id(seeded_both, 'editor')}/password"

    weak = await post_form(admin, path, {"password": "qwertyuiop12"}, page="/users")
    assert weak.status_code == 303
    assert "La password è troppo facile da indovinare" in (await admin.get("/users")).text
    assert await logs_in(client_on_both, "editor", PASSWORD)

    reset = await post_form(admin, path, {"password": NEW}, page="/users")
    assert reset.status_code == 303
    for client in (editor, thief):
        assert (await client.get("/events")).headers["location"].startswith("/login")
    assert (await admin.get("/users")).status_code == 200, "the admin's own session goes on"
    assert not await logs_in(client_on_both, "editor", PASSWORD)
    assert await logs_in(client_on_both, "editor", NEW)
    entries = password_entries(seeded_both)
    assert [(who, whose) for who, whose, *_values in entries] == [("admin", "users/editor")]
    assert NEW not in str(entries) and "argon2" not in str(entries)


async def test_no_one_but_an_admin_resets_anothers_password(
    client_on_both: Client, seeded_both: Engine
) -> None:
    for role in (Role.MEDIATOR, Role.EDITOR, Role.ASSOCIATION):
        other = await client_on_both(role)
        path = f"/users/{account_id(seeded_both, 'admin')}/password"
        refused = await post_form(other, path, {"password": NEW}, page="/")
        assert refused.status_code == 403
    assert await logs_in(client_on_both, "admin", PASSWORD)
    assert password_entries(seeded_both) == []
