"""Retraining: the run in the background, `PUT /model` on the real Rasa server, failures shown."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from admin.app import Parts, create_app
from admin.models import RunStatus, TrainingRun
from admin.training import model_from_log
from primm.settings import Settings
from tests.admin.conftest import FAILING_TRAINING, make_parts
from tests.support.admin import PASSWORD, SECRET, csrf_token, login
from tests.support.rasa import free_port


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


async def test_failed_training_is_shown_with_its_reason(
    settings: Settings, content_engine: Engine, tmp_path: Path
) -> None:
    parts = make_parts(
        settings, content_engine, None, "http://127.0.0.1:9", tmp_path, FAILING_TRAINING
    )
    client = await mediator(settings, parts)
    page = await retrain(client, parts)
    assert last_run(parts).status is RunStatus.FAILED
    assert 'data-testid="run-status">fallito<' in page
    assert "no data" in page and "exit code 3" in page
    await client.aclose()


@pytest.mark.rasa
async def test_trained_model_is_loaded_into_the_running_server(
    settings: Settings, content_engine: Engine, tmp_path: Path, rasa_url: str, rasa_model: Path
) -> None:
    parts = make_parts(settings, content_engine, None, rasa_url, tmp_path)
    client = await mediator(settings, parts)
    page = await retrain(client, parts)
    run = last_run(parts)
    assert run.status is RunStatus.SUCCEEDED, run.log
    # Same content as the session's model: `primm nlu train` found it cached.
    assert run.model == str(rasa_model)
    assert 'data-testid="run-status">riuscito<' in page
    async with httpx.AsyncClient(timeout=10) as rasa:
        status = (await rasa.get(f"{rasa_url}/status")).json()
    assert Path(status["model_file"]).name == rasa_model.name
    await client.aclose()


@pytest.mark.rasa
async def test_unreachable_server_fails_the_run_and_says_why(
    settings: Settings, content_engine: Engine, tmp_path: Path, rasa_model: Path
) -> None:
    parts = make_parts(settings, content_engine, None, f"http://127.0.0.1:{free_port()}", tmp_path)
    client = await mediator(settings, parts)
    page = await retrain(client, parts)
    assert last_run(parts).status is RunStatus.FAILED
    assert "ConnectError" in page
    await client.aclose()


def test_model_path_is_read_from_the_last_line() -> None:
    log = "wrote nlu/data/nlu.yml\nmodel: /m/nlu-1.tar.gz\n"
    assert model_from_log(log) == "/m/nlu-1.tar.gz"
    assert model_from_log("Traceback ...") is None
