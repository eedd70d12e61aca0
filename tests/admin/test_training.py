"""Retraining: the real Rasa server trains what the tool exports, loads it; failures shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from admin.app import Parts, create_app
from admin.auth import create_user
from shared.settings import Settings
from storage.admin import Role, RunStatus, TrainingRun
from storage.db import make_sessionmaker
from testbed.rasa import free_port
from tests.admin.conftest import make_parts
from tests.support.admin import PASSWORD, SECRET, csrf_token, login
from tests.support.databases import fresh_engine


async def mediator(settings: Settings, parts: Parts) -> httpx.AsyncClient:
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings, parts, SECRET)),
        base_url="http://admin.test",
    )
    await login(client, "mediator", PASSWORD)
    return client


async def retrain(client: httpx.AsyncClient, parts: Parts) -> str:
    page = await client.get("/training")
    response = await client.post("/training", data={"csrftoken": csrf_token(page.text)})
    assert response.status_code == 303
    await parts.trainer.wait()
    return (await client.get("/training")).text


def last_run(parts: Parts) -> TrainingRun:
    with parts.sessions() as session:
        run = session.query(TrainingRun).order_by(TrainingRun.id.desc()).first()
        assert run is not None
        return run


@pytest.fixture
def empty_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated database with a mediator's account and no content at all."""
    engine = fresh_engine("sqlite", tmp_path)
    with make_sessionmaker(engine).begin() as session:
        create_user(session, "mediator", PASSWORD, Role.MEDIATOR)
    yield engine
    engine.dispose()


async def status(rasa_url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as rasa:
        return dict((await rasa.get(f"{rasa_url}/status")).json())


@pytest.mark.rasa
async def test_failed_training_is_shown_with_rasas_reason_and_the_model_stays(
    settings: Settings, empty_engine: Engine, rasa_url: str
) -> None:
    before = (await status(rasa_url))["model_file"]
    parts = make_parts(settings, empty_engine, None, rasa_url)
    client = await mediator(settings, parts)
    page = await retrain(client, parts)
    assert last_run(parts).status is RunStatus.FAILED
    assert 'data-testid="run-status">fallito<' in page
    assert "TrainingFailed: Rasa 500" in page, page
    assert (await status(rasa_url))["model_file"] == before
    await client.aclose()


@pytest.mark.rasa
async def test_unreachable_server_fails_the_run_and_says_why(
    settings: Settings, content_engine: Engine, tmp_path: Path, rasa_model: Path
) -> None:
    parts = make_parts(settings, content_engine, None, f"http://127.0.0.1:{free_port()}")
    client = await mediator(settings, parts)
    page = await retrain(client, parts)
    assert last_run(parts).status is RunStatus.FAILED
    assert "ConnectError" in page
    await client.aclose()
