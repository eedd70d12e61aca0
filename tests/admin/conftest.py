"""The admin app over a seeded database with one account per role, and HTTP clients for it."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp

from admin.app import Parts, create_app
from admin.auth import create_user
from admin.session import COOKIE
from admin.training import Trainer
from content.loader import load_seed
from dialogue.app import build_dialogue
from dialogue.understanding import Nlu
from shared.settings import Settings
from storage.admin import AdminUser, Role
from storage.db import make_engine, make_sessionmaker
from testbed.fakes import FakeNlu
from tests.support.admin import PASSWORD, SECRET, logged_in, login
from tests.support.databases import fresh_engine


@pytest.fixture(scope="session")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the seed content and one account per role, made once."""
    directory = tmp_path_factory.mktemp("admin-seed")
    engine = fresh_engine("sqlite", directory)
    with make_sessionmaker(engine).begin() as session:
        load_seed(session)
        for role in Role:
            create_user(session, role.value, PASSWORD, role)
    engine.dispose()
    return directory / "primm.db"


@pytest.fixture
def content_engine(seed_file: Path, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the seeded database, so tests may change it."""
    copy = tmp_path / "admin.db"
    shutil.copy(seed_file, copy)
    engine = make_engine(f"sqlite:///{copy}")
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_both(engine: Engine) -> Engine:
    """The seed content and accounts in a fresh database of each backend."""
    with make_sessionmaker(engine).begin() as session:
        load_seed(session)
        for role in Role:
            create_user(session, role.value, PASSWORD, role)
    return engine


def make_parts(
    settings: Settings,
    engine: Engine,
    nlu: Nlu,
    nlu_url: str,
) -> Parts:
    """The app's parts over a database and an NLU (fake or the real client)."""
    sessions: sessionmaker[Session] = make_sessionmaker(engine)
    dialogue = build_dialogue(settings, sessions, nlu, record=False)  # as `primm admin serve`
    return Parts(sessions, dialogue, Trainer(sessions, nlu_url))


@pytest.fixture
async def parts(
    settings: Settings, content_engine: Engine, tmp_path: Path
) -> AsyncIterator[Parts]:
    # Nothing listens there: a training fails at once, as most tests only need a run to end.
    made = make_parts(settings, content_engine, FakeNlu(), "http://127.0.0.1:9")
    yield made
    await made.trainer.wait()


@pytest.fixture
def editor_settings(settings: Settings) -> Settings:
    """The settings of the editor's tool (a module may override them)."""
    return settings


@pytest.fixture
async def editor(
    editor_settings: Settings, seeded_both: Engine, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """The editor logged in to the tool over both databases."""
    parts = make_parts(editor_settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    async with logged_in(create_app(editor_settings, parts, SECRET), "editor") as client:
        yield client


@pytest.fixture
async def mediator(settings: Settings, seeded_both: Engine) -> AsyncIterator[httpx.AsyncClient]:
    """A mediator logged in to the tool over both databases."""
    parts = make_parts(settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    async with logged_in(create_app(settings, parts, SECRET), "mediator") as client:
        yield client


Client = Callable[[Role | None], Awaitable[httpx.AsyncClient]]


@asynccontextmanager
async def clients(app: ASGIApp) -> AsyncIterator[Client]:
    """Makes HTTP clients of the app, logged in with a role (or anonymous for None)."""
    opened: list[httpx.AsyncClient] = []

    async def make(role: Role | None) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://admin.test"
        )
        opened.append(client)
        if role is not None:
            await login(client, role.value, PASSWORD)
        return client

    yield make
    for client in opened:
        await client.aclose()


@pytest.fixture
async def client_for(settings: Settings, parts: Parts) -> AsyncIterator[Client]:
    """Clients of the app over a copy of the seeded SQLite file."""
    async with clients(create_app(settings, parts, SECRET)) as make:
        yield make


@pytest.fixture
async def client_on_both(settings: Settings, seeded_both: Engine) -> AsyncIterator[Client]:
    """Clients of the app over both databases."""
    parts = make_parts(settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    async with clients(create_app(settings, parts, SECRET)) as make:
        yield make


async def copy_of(client: httpx.AsyncClient, client_for: Client) -> httpx.AsyncClient:
    """Another client holding a copy of this one's session cookie (a stolen cookie)."""
    thief = await client_for(None)
    thief.cookies.set(COOKIE, client.cookies[COOKIE])
    return thief


def account_id(engine: Engine, username: str) -> int:
    with make_sessionmaker(engine)() as session:
        found = session.scalar(select(AdminUser.id).where(AdminUser.username == username))
    assert found is not None
    return found
