"""Retraining as a job of the database: a killed or stopped process leaves no run "running" for
ever, and two admin processes never train at once, on both databases."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import httpx
import pytest
from sqlalchemy import Engine, select

from admin.app import create_app
from admin.auth import create_user
from shared.settings import Settings
from storage.admin import Role, RunStatus, TrainingRun
from storage.db import make_sessionmaker
from testbed.fakes import FakeNlu
from tests.admin.conftest import make_parts
from tests.support.admin import PASSWORD, SECRET, csrf_token, logged_in

# Another admin process that starts a training and then only waits (until it is killed).
ELSEWHERE = """
import asyncio, sys
from admin.training import Trainer
from storage.db import make_engine, make_sessionmaker

async def main():
    trainer = Trainer(make_sessionmaker(make_engine(sys.argv[1])), sys.argv[2])
    trainer.start("mediator")
    print("started", flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


@pytest.fixture
def silent_rasa() -> Iterator[str]:
    """A Rasa address that takes the request and never answers: a training that lasts."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


@pytest.fixture
def mediator_db(engine: Engine) -> Engine:
    with make_sessionmaker(engine).begin() as session:
        create_user(session, "mediator", PASSWORD, Role.MEDIATOR)
    return engine


def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@contextmanager
def training_elsewhere(engine: Engine, rasa: str) -> Iterator[subprocess.Popen[str]]:
    """A second process of the tool, training now."""
    process = subprocess.Popen(
        [sys.executable, "-c", ELSEWHERE, url(engine), rasa], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "started"
        yield process
    finally:
        process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


def runs(engine: Engine) -> list[tuple[RunStatus, str]]:
    with make_sessionmaker(engine)() as session:
        rows = session.scalars(select(TrainingRun).order_by(TrainingRun.id))
        return [(run.status, run.log) for run in rows]


@asynccontextmanager
async def tool(settings: Settings, engine: Engine, rasa: str) -> AsyncIterator[httpx.AsyncClient]:
    """One process of the tool, a mediator logged in; it stops as `primm admin serve` does."""
    parts = make_parts(settings, engine, FakeNlu(), rasa)
    try:
        async with logged_in(create_app(settings, parts, SECRET), "mediator") as client:
            yield client
    finally:
        await parts.trainer.stop()


async def retrain(client: httpx.AsyncClient) -> str:
    page = await client.get("/training")
    response = await client.post("/training", data={"csrftoken": csrf_token(page.text)})
    assert response.status_code == 303
    return (await client.get("/training")).text


async def test_a_run_of_a_killed_process_is_interrupted_when_the_tool_starts(
    settings: Settings, mediator_db: Engine, silent_rasa: str
) -> None:
    with training_elsewhere(mediator_db, silent_rasa) as process:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert [status for status, _ in runs(mediator_db)] == [RunStatus.RUNNING]
    async with tool(settings, mediator_db, silent_rasa) as client:
        page = (await client.get("/training")).text
        assert runs(mediator_db)[0][0] is RunStatus.INTERRUPTED
        assert 'data-testid="run-interrupted"' in page
        assert '<button type="submit" >' in page, "Retrain now is enabled again"
        assert 'http-equiv="refresh"' not in page


async def test_two_processes_never_train_at_once(
    settings: Settings, mediator_db: Engine, silent_rasa: str
) -> None:
    with training_elsewhere(mediator_db, silent_rasa):
        async with tool(settings, mediator_db, silent_rasa) as client:
            page = await retrain(client)
            assert "Un addestramento è già in corso." in page
            assert [status for status, _ in runs(mediator_db)] == [RunStatus.RUNNING]
    # The other process is gone: the next start takes over at once.
    async with tool(settings, mediator_db, silent_rasa) as client:
        await retrain(client)
        assert [status for status, _ in runs(mediator_db)] == [
            RunStatus.INTERRUPTED,
            RunStatus.RUNNING,
        ]


async def test_two_starts_at_the_same_instant_leave_one_run(
    settings: Settings, mediator_db: Engine, silent_rasa: str
) -> None:
    """Two tools over one database (two processes), both asked at once."""
    async with (
        tool(settings, mediator_db, silent_rasa) as first,
        tool(settings, mediator_db, silent_rasa) as second,
    ):
        await asyncio.gather(retrain(first), retrain(second))
        assert [status for status, _ in runs(mediator_db)] == [RunStatus.RUNNING]


async def test_stopping_the_tool_ends_its_run_as_interrupted(
    settings: Settings, mediator_db: Engine, silent_rasa: str
) -> None:
    async def serve_and_stop() -> None:
        async with tool(settings, mediator_db, silent_rasa) as client:
            await retrain(client)
            assert runs(mediator_db)[0][0] is RunStatus.RUNNING

    # Before, the tool waited for Rasa's answer (up to an hour) and then left the run running.
    # (`running_app` stops its trainer on the way out, as `tool` does.)
    await asyncio.wait_for(serve_and_stop(), 20)
    [(status, log)] = runs(mediator_db)
    assert status is RunStatus.INTERRUPTED
    assert "stopped during this training" in log
