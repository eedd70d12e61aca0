"""Accounts as a region's IT expects: one form per user name, passwords nobody guesses, on both
databases (PostgreSQL refused a NUL or a 65-character name with a 500)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from admin.auth import UserError, authenticate, create_user
from storage.admin import AdminUser, Role
from tests.support.admin import PASSWORD


@pytest.mark.parametrize(
    "username",
    [
        "",
        "\u200b",  # a zero-width space alone
        "x" * 65,
        "ma\x00ria",
        "<b>maria</b>",
        'maria"',
        "maria rossi",
    ],
)
def test_a_user_name_that_cannot_be_shown_or_stored_is_refused(
    sessions: sessionmaker[Session], username: str
) -> None:
    with sessions.begin() as session, pytest.raises(UserError):
        create_user(session, username, PASSWORD, Role.MEDIATOR)
    with sessions() as session:
        assert session.scalars(select(AdminUser)).all() == []


@pytest.mark.parametrize("look_alike", ["Admin", "ＡＤＭＩＮ", "ad\u200bmin", " admin"])
def test_a_look_alike_of_an_existing_name_is_the_same_account(
    sessions: sessionmaker[Session], look_alike: str
) -> None:
    with sessions.begin() as session:
        create_user(session, "admin", PASSWORD, Role.ADMIN)
    with sessions.begin() as session, pytest.raises(UserError, match="exists already"):
        create_user(session, look_alike, "another long passphrase 42", Role.ADMIN)
    with sessions.begin() as session:
        user = authenticate(session, look_alike, PASSWORD)
        assert user is not None and user.username == "admin", "the owner logs in as typed"


def test_a_name_is_kept_in_its_one_form(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        assert create_user(session, "Maria.Rossi", PASSWORD, Role.EDITOR).username == "maria.rossi"


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaa", "aaaaaaaaaaaa", "password1234", "qwertyuiop12", "short"]
)
def test_a_short_or_common_password_is_refused(
    sessions: sessionmaker[Session], password: str
) -> None:
    with sessions.begin() as session, pytest.raises(UserError, match="password"):
        create_user(session, "maria", password, Role.MEDIATOR)


def test_a_password_made_of_the_user_name_is_refused(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session, pytest.raises(UserError, match="guess"):
        create_user(session, "marialuisa", "marialuisa12", Role.MEDIATOR)
