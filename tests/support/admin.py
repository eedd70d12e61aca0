"""Helpers for the admin tool's tests: the CSRF token of a page, logging in, posting forms."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.types import ASGIApp

PASSWORD = "correct horse battery staple"
SECRET = "test-session-secret-" + "x" * 32
_TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The token the page's forms carry."""
    match = _TOKEN.search(html)
    assert match, "page has no form with a CSRF token"
    return match.group(1)


async def post_form(
    client: httpx.AsyncClient, path: str, data: dict[str, str], page: str = "/login"
) -> httpx.Response:
    """Post a form the way a browser does: with the token of a page it loaded."""
    token = csrf_token((await client.get(page)).text)
    return await client.post(path, data={"csrftoken": token, **data})


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    """Log in through the login form."""
    response = await post_form(client, "/login", {"username": username, "password": password})
    assert response.status_code in (303, 401, 429), response.text
    return response


@asynccontextmanager
async def logged_in(app: ASGIApp, username: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app, logged in as `username` (accounts are named after their role)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://admin.test"
    ) as client:
        await login(client, username, PASSWORD)
        yield client
