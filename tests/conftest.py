"""Fixtures: settings, both databases, seeded content, a real Rasa server, the Bot API emulator."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from content.loader import load_seed
from dialogue.app import build_dialogue
from dialogue.core import Dialogue
from nlu import runtime
from nlu.client import RasaClient
from nlu.training_data import write_training_data
from shared.settings import ROOT, Settings, get_settings
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from testbed.botapi import BotApiEmulator
from testbed.rasa import rasa_server
from tests.support.databases import fresh_engine
from tests.support.postgres import PostgresServer, postgres_server
from tests.support.telegram import RunningBot, offline_polling

# Tests never touch the developer's own data: the training data and model they need, and any
# database a test does not choose itself, live under build/test (kept between runs for the
# model's cache, removed by `make clean`). Subprocesses (`primm run`, `primm ask`) inherit it.
TEST_BUILD = ROOT / "build" / "test"
os.environ.setdefault("PRIMM_NLU__TRAINING_DIR", str(TEST_BUILD / "nlu"))
os.environ.setdefault("PRIMM_NLU__MODELS_DIR", str(TEST_BUILD / "nlu" / "models"))
os.environ["DATABASE_URL"] = f"sqlite:///{TEST_BUILD / 'primm.db'}"
os.environ.setdefault("PRIMM_VOICE__DIR", str(TEST_BUILD / "voice"))

# Tests check what Rasa answers, not how fast (bench/ measures that): on a loaded machine a slow
# parse must not turn into the search fallback. Subprocesses (`primm ask`, `primm bot`) inherit it.
os.environ.setdefault("PRIMM_NLU__TIMEOUT_SECONDS", "10")

# A fixture that starts one of the slow real parts marks every test that uses it, so that
# `make test-fast` can leave those tests out: "rasa", "browser", "postgresql".
SLOW_PARTS = {"rasa_model": "rasa", "browser": "browser", "postgres": "postgresql"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the slow parts it needs (a database parameter counts as one)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        parts = {part for fixture, part in SLOW_PARTS.items() if fixture in names}
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgresql" in callspec.params.values():
            parts.add("postgresql")
        for part in parts:
            item.add_marker(part)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty migrated database, once per backend."""
    engine = fresh_engine(request.param, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    """The seed content in a SQLite database shared by read-only tests."""
    engine = fresh_engine("sqlite", tmp_path_factory.mktemp("seeded"))
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        load_seed(session)
    yield sessions
    engine.dispose()


@pytest.fixture(scope="session")
def rasa_model(settings: Settings, seeded: sessionmaker[Session]) -> Path:
    """The model for the seed content (trained only when its data changed)."""
    with seeded() as session:
        write_training_data(session, runtime.training_dir(settings))
    return runtime.train(settings)


@pytest.fixture(scope="session")
def rasa_url(settings: Settings, rasa_model: Path) -> Iterator[str]:
    """URL of a real Rasa server started once for the whole session."""
    with rasa_server(settings, rasa_model) as (url, _process):
        yield url


@pytest.fixture
async def rasa(rasa_url: str, settings: Settings) -> AsyncIterator[RasaClient]:
    client = RasaClient(rasa_url, settings.nlu.timeout_seconds)
    yield client
    await client.aclose()


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A Bot API emulator listening on loopback."""
    server = BotApiEmulator()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def offline_bot(
    settings: Settings, emulator: BotApiEmulator, sessions: sessionmaker[Session]
) -> AsyncIterator[RunningBot]:
    """The real bot on the test's database with a fake NLU, for handlers that never ask it."""
    async with offline_polling(settings, emulator, sessions) as running:
        yield running


@pytest.fixture
def dialogue(settings: Settings, seeded: sessionmaker[Session], rasa: RasaClient) -> Dialogue:
    """The dialogue core on the seed content and the real Rasa server."""
    return build_dialogue(settings, seeded, rasa)


@pytest.fixture
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own, which it may stop and start (resilience tests)."""
    with postgres_server() as server:
        yield server


@pytest.fixture
def restartable(postgres: PostgresServer) -> Iterator[Engine]:
    """The seed content, migrated, on the server of the test's own."""
    engine = make_engine(postgres.url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as session:
        load_seed(session)
    yield engine
    engine.dispose()
