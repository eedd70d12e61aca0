"""The tool as `primm admin serve` builds it: staff trying the bot are not counted as users, and
it answers health checks on its own port as the bot does."""

from __future__ import annotations

import httpx
from pydantic import SecretStr
from sqlalchemy import Engine, func, select

from admin.server import running_app
from dialogue.payloads import Vote, encode
from shared.settings import Settings
from storage.db import make_sessionmaker
from storage.inbox import InboxQuestion
from storage.users import Feedback, MessageCount
from testbed.rasa import free_port
from tests.support.admin import PASSWORD, SECRET, csrf_token, login


def served(settings: Settings, engine: Engine) -> Settings:
    """Settings of a tool over `engine`, with no Rasa server listening."""
    return settings.model_copy(
        update={
            "database_url": engine.url.render_as_string(hide_password=False),
            "admin": settings.admin.model_copy(update={"session_secret": SecretStr(SECRET)}),
            "nlu": settings.nlu.model_copy(update={"url": f"http://127.0.0.1:{free_port()}"}),
        }
    )


async def test_health_checks_answer_without_a_login(
    settings: Settings, content_engine: Engine
) -> None:
    async with (
        running_app(served(settings, content_engine)) as app,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://admin.test"
        ) as client,
    ):
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert (await client.get("/faqs")).status_code == 303, "the tool itself still asks"
    assert ready.status_code == 200
    assert ready.json() == {"database": True, "rasa": False, "ready": True}


async def test_trying_the_bot_leaves_no_analytics_inbox_or_votes(
    settings: Settings, content_engine: Engine
) -> None:
    local = served(settings, content_engine)
    async with (
        running_app(local) as app,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://admin.test"
        ) as client,
    ):
        await login(client, "mediator", PASSWORD)
        for data in (
            {"text": "licenza di pesca ad ancona"},
            {"payload": encode(Vote("permit_renewal", False))},
        ):
            token = csrf_token((await client.get("/try")).text)
            response = await client.post("/try", data={"csrftoken": token, **data})
            assert response.status_code == 200
    with make_sessionmaker(content_engine)() as session:
        for table in (MessageCount, InboxQuestion, Feedback):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table
