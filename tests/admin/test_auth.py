"""Login, logout, throttling, CSRF refusal and the interface language."""

from __future__ import annotations

import httpx
import pytest

from admin.app import Parts, create_app
from shared.settings import Settings
from storage.admin import Role
from tests.admin.conftest import Client
from tests.support.admin import PASSWORD, SECRET, csrf_token, login, post_form


async def test_login_then_logout(client_for: Client) -> None:
    client = await client_for(None)
    response = await login(client, "mediator", PASSWORD)
    assert response.status_code == 303
    home = await client.get("/")
    assert "mediator" in home.text
    await post_form(client, "/logout", {}, page="/")
    assert (await client.get("/")).headers["location"].startswith("/login")


async def test_wrong_password_is_refused(client_for: Client) -> None:
    client = await client_for(None)
    response = await login(client, "mediator", "not the password")
    assert response.status_code == 401
    assert (await client.get("/")).status_code == 303


async def test_repeated_failures_are_throttled_even_with_the_right_password(
    client_for: Client,
) -> None:
    client = await client_for(None)
    for _ in range(5):
        assert (await login(client, "editor", "guess")).status_code == 401
    response = await login(client, "editor", PASSWORD)
    assert response.status_code == 429
    # Other people can still log in.
    assert (await login(await client_for(None), "mediator", PASSWORD)).status_code == 303


async def test_an_attacker_elsewhere_does_not_lock_the_owner_out(
    settings: Settings, parts: Parts
) -> None:
    app = create_app(settings, parts, SECRET)

    def client_at(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://admin.test")

    async with client_at("203.0.113.66") as attacker, client_at("198.51.100.7") as owner:
        for guess in ("guess-1", "guess-2", "guess-3", "guess-4", "guess-5"):
            assert (await login(attacker, "Editor", guess)).status_code == 401
        assert (await login(attacker, "editor", PASSWORD)).status_code == 429
        assert (await login(owner, "editor", PASSWORD)).status_code == 303


async def test_form_without_csrf_token_is_refused(client_for: Client) -> None:
    client = await client_for(Role.MEDIATOR)
    response = await client.post(
        "/faqs/permit_renewal/it", data={"question": "x" * 5, "answer": "y" * 5}
    )
    assert response.status_code == 403
    forged = await client.post(
        "/faqs/permit_renewal/it",
        data={"csrftoken": "forged", "question": "x" * 5, "answer": "y" * 5},
    )
    assert forged.status_code == 403


async def test_login_form_needs_csrf_token_too(client_for: Client) -> None:
    client = await client_for(None)
    response = await client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 403


async def test_session_cookie_is_http_only_and_strict(client_for: Client) -> None:
    client = await client_for(None)
    response = await login(client, "admin", PASSWORD)
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "primm_admin" in v
    )
    assert "httponly" in cookie.lower()
    assert "samesite=strict" in cookie.lower()


async def test_interface_in_english_or_italian(client_for: Client) -> None:
    client = await client_for(None)
    assert "Accedi" in (await client.get("/login")).text
    page = await client.get("/login")
    await client.post(
        "/language", data={"csrftoken": csrf_token(page.text), "language": "en", "next": "/login"}
    )
    assert "Log in" in (await client.get("/login")).text


@pytest.mark.parametrize(
    ("target", "landing"),
    [("/coverage", "/coverage"), ("//evil.example", "/"), ("/\\evil.example", "/"), ("x", "/")],
)
async def test_login_goes_back_only_to_pages_of_this_site(
    client_for: Client, target: str, landing: str
) -> None:
    client = await client_for(None)
    page = await client.get("/login")
    data = {"username": "admin", "password": PASSWORD, "next": target}
    response = await client.post("/login", data={"csrftoken": csrf_token(page.text), **data})
    assert response.headers["location"] == landing
