"""/healthz, /readyz and /metrics over real HTTP, with the real database and Rasa server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dialogue.core import Dialogue
from shared.health import health_server
from shared.settings import HealthSettings, Settings
from storage.db import make_engine
from storage.users import UserState
from testbed.rasa import free_port


@asynccontextmanager
async def serving(settings: Settings, engine: Engine, rasa_url: str) -> AsyncIterator[str]:
    port = free_port()
    local = settings.model_copy(
        update={
            "health": HealthSettings(port=port),
            "nlu": settings.nlu.model_copy(update={"url": rasa_url}),
        }
    )
    async with health_server(local, engine):
        yield f"http://127.0.0.1:{port}"


async def test_ready_with_database_and_rasa(
    settings: Settings, sessions: sessionmaker[Session], rasa_url: str
) -> None:
    async with (
        serving(settings, sessions.kw["bind"], rasa_url) as url,
        httpx.AsyncClient() as client,
    ):
        assert (await client.get(f"{url}/healthz")).json() == {"status": "ok"}
        ready = await client.get(f"{url}/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"database": True, "rasa": True, "ready": True}


async def test_rasa_down_is_reported_but_still_ready(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    async with serving(settings, sessions.kw["bind"], dead) as url, httpx.AsyncClient() as client:
        ready = await client.get(f"{url}/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"database": True, "rasa": False, "ready": True}


async def test_database_down_is_not_ready(
    settings: Settings, rasa_url: str, tmp_path: Path
) -> None:
    gone = make_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/test")
    async with serving(settings, gone, rasa_url) as url, httpx.AsyncClient() as client:
        ready = await client.get(f"{url}/readyz")
    gone.dispose()
    assert ready.status_code == 503
    assert ready.json()["database"] is False


async def test_metrics_count_messages_by_language_and_category(
    settings: Settings, sessions: sessionmaker[Session], rasa_url: str, dialogue: Dialogue
) -> None:
    async with (
        serving(settings, sessions.kw["bind"], rasa_url) as url,
        httpx.AsyncClient() as client,
    ):
        before = (await client.get(f"{url}/metrics")).text
        await dialogue.handle_text(UserState("uk"), "Де вивчати італійську мову безкоштовно?")
        after = (await client.get(f"{url}/metrics")).text

    def count(text: str) -> float:
        prefix = 'primm_messages_total{category="language_courses",engine="rasa",language="uk"}'
        lines = [line for line in text.splitlines() if line.startswith(prefix)]
        return float(lines[0].split()[-1]) if lines else 0.0

    assert count(after) == count(before) + 1
    assert "primm_nlu_seconds_bucket" in after
    assert "вивчати" not in after, "no message text in metrics"
