"""Inputs bounded before they cost anything: a body over the limit is refused unread (413), a
form the tool cannot read is a 400 with a message, never a 500, before any login."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import Engine

from admin.app import create_app
from shared.settings import Settings
from testbed.fakes import FakeNlu
from tests.admin.conftest import Client, make_parts
from tests.support.admin import SECRET, csrf_token, logged_in

FORM = {"content-type": "application/x-www-form-urlencoded"}


async def token(client: httpx.AsyncClient) -> bytes:
    return csrf_token((await client.get("/login")).text).encode()


async def test_a_body_over_the_limit_is_refused_before_it_is_read(client_for: Client) -> None:
    anonymous = await client_for(None)
    huge = b"csrftoken=x&username=" + b"a" * 2_000_000
    response = await anonymous.post("/login", content=huge, headers=FORM)
    assert response.status_code == 413
    assert response.text == "La richiesta è troppo grande."

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while read
        for _ in range(200):
            yield b"a" * 10_000

    streamed = await anonymous.post("/login", content=chunks(), headers=FORM)
    assert streamed.status_code == 413


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"csrftoken=%s"),
        ("multipart/form-data; boundary=zz", b"--zz\r\nnot a part"),
        ("application/x-www-form-urlencoded", b"csrftoken=%s&username=\xff\xfe"),
        ("application/x-www-form-urlencoded", b"username=%%ff&csrftoken=%s"),
        ("application/x-www-form-urlencoded", b"csrftoken=%s&username=ma%%00ria"),
    ],
)
async def test_a_form_that_cannot_be_read_is_a_400_with_a_message(
    client_for: Client, content_type: str, body: bytes
) -> None:
    anonymous = await client_for(None)
    sent = body % await token(anonymous) if b"%s" in body else body
    response = await anonymous.post(
        "/login", content=sent, headers={"content-type": content_type, "accept-language": "en"}
    )
    assert response.status_code == 400
    assert response.text == "The form could not be read: send it again from the page."


async def test_a_nul_in_an_faq_question_is_refused_on_both_databases(
    settings: Settings, seeded_both: Engine
) -> None:
    parts = make_parts(settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    async with logged_in(create_app(settings, parts, SECRET), "mediator") as mediator:
        page = await mediator.get("/faqs/permit_renewal?lang=uk")
        form = {"csrftoken": csrf_token(page.text), "status": "draft", "answer": "Так"}
        response = await mediator.post(
            "/faqs/permit_renewal/uk", data={**form, "question": "Як\x00продовжити?"}
        )
        assert response.status_code == 400
        assert (await mediator.get("/faqs/permit_renewal?lang=uk")).status_code == 200
