"""Two bot processes behind one webhook, on one PostgreSQL database, behave as one bot: a flooding
user is counted across them, a chat's updates take turns, and the weekly digest and the hourly
purge run once."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import TypeHandler

from bot.app import RETENTION, BotApplication, build_bot, start_bot, stop_bot
from bot.digest import DIGEST
from dialogue.app import App, build_dialogue
from shared.i18n import translations
from shared.settings import HandoffSettings, Settings, TelegramSettings
from storage.coordination import JobRun
from storage.db import make_engine, make_sessionmaker
from storage.users import Feedback
from testbed.botapi import TOKEN, BotApiEmulator
from testbed.fakes import FakeNlu
from testbed.rasa import free_port
from tests.bot.test_digest import GROUP, add_services
from tests.support.cli import PRIMM
from tests.support.databases import POSTGRES_URL, fresh_engine
from tests.support.telegram import WAIT_SECONDS, RunningBot, payloads

LIMIT = 3
SLOW_DOWN = "You are writing very fast. Please wait a minute, then write again."


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Engine]:
    """An empty PostgreSQL database, the one the workers share."""
    engine = fresh_engine("postgresql", tmp_path)
    yield engine
    engine.dispose()


def worker(
    settings: Settings, emulator: BotApiEmulator, engine: Engine, port: int
) -> BotApplication:
    """A bot process of its own: its own connection pool, dialogue core and flood guard."""
    url = f"http://127.0.0.1:{port}/telegram"
    local = settings.model_copy(
        update={
            "telegram_bot_token": TOKEN,
            "telegram_api_base_url": emulator.base_url,
            "telegram": TelegramSettings(
                mode="webhook",
                webhook_url=url,
                port=port,
                secret_token="w0rkers-s3cret",
                flood_messages_per_minute=LIMIT,
            ),
            "handoff": HandoffSettings(group_chat_id=GROUP),
        }
    )
    sessions = make_sessionmaker(engine)
    nlu = FakeNlu()
    app = App(engine, sessions, nlu, build_dialogue(local, sessions, nlu))
    return build_bot(local, app)


@pytest.fixture
async def workers(
    settings: Settings, emulator: BotApiEmulator, database: Engine
) -> AsyncIterator[list[tuple[BotApplication, RunningBot]]]:
    """Two workers serving the webhook, the emulator sharing updates between them in turn."""
    ports = [free_port(), free_port()]
    running = []
    async with AsyncExitStack() as stack:
        for port in ports:
            engine = make_engine(POSTGRES_URL)
            stack.callback(engine.dispose)
            application = worker(settings, emulator, engine, port)
            marks = RunningBot()
            application.add_handler(TypeHandler(Update, marks.mark), group=99)
            await start_bot(application)
            stack.push_async_callback(stop_bot, application)
            running.append((application, marks))
        emulator.workers = [f"http://127.0.0.1:{port}/telegram" for port in ports]
        yield running


def ran(sessions: sessionmaker[Session], job: str) -> bool:
    """Whether a worker has claimed this period's run of the job."""
    with sessions() as session:
        return session.scalar(select(JobRun).where(JobRun.job == job)) is not None


async def test_a_flooding_user_is_counted_across_workers(
    emulator: BotApiEmulator, workers: list[tuple[BotApplication, RunningBot]]
) -> None:
    flooder = emulator.user(4100, "fr")
    for turn in range(LIMIT):  # one update to each worker in turn, each answered
        await workers[turn % 2][1].handled(emulator.send_text(flooder, "/menu"))
    for _ in range(4):
        emulator.send_text(flooder, "/menu")
    async with asyncio.timeout(WAIT_SECONDS):
        sent = await emulator.wait_for(flooder["id"], LIMIT + 1)
    # Each worker saw at most two of the seven: counted apart, none would have refused one.
    others = [emulator.user(4101 + turn, "es") for turn in range(2)]
    for turn, other in enumerate(others):
        await workers[(LIMIT + 4 + turn) % 2][1].handled(emulator.send_text(other, "/menu"))
    slow_down = translations("fr").gettext(SLOW_DOWN)
    menus = Counter("menu" if m["text"] != slow_down else "slow down" for m in sent)
    assert menus == {"menu": LIMIT, "slow down": 1}
    assert len(emulator.chat(flooder["id"])) == LIMIT + 1
    assert all(len(emulator.chat(other["id"])) == 1 for other in others), "others are apart"
    assert emulator.errors == []


async def test_the_digest_and_the_purge_run_once_whatever_the_workers(
    emulator: BotApiEmulator,
    workers: list[tuple[BotApplication, RunningBot]],
    database: Engine,
) -> None:
    emulator.group(GROUP, "Mediatori PRIMM")
    sessions = make_sessionmaker(database)
    add_services(sessions)
    for application, _marks in workers:
        assert application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name(DIGEST)
        await job.run(application)
    [digest] = emulator.chat(GROUP)
    assert "Ambulatorio never" in digest["text"]

    # Both purged at start, in the same hour: the first did; feedback left since stays.
    async with asyncio.timeout(WAIT_SECONDS):
        while not ran(sessions, RETENTION):  # noqa: ASYNC110 a row in another pool, no event
            await asyncio.sleep(0.05)
    old = datetime.now(UTC) - timedelta(days=400)
    with sessions.begin() as session:
        session.add(Feedback(topic="permit_renewal", language="fr", helpful=True, created_at=old))
    for application, _marks in workers:
        assert application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name(RETENTION)
        await job.run(application)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Feedback)) == 1
        runs = session.execute(select(JobRun.job, func.count()).group_by(JobRun.job)).all()
    assert dict(runs) == {DIGEST: 1, RETENTION: 1}


@pytest.fixture
async def processes(
    emulator: BotApiEmulator, database: Engine
) -> AsyncIterator[list[asyncio.subprocess.Process]]:
    """Two `primm bot` processes serving the webhook, the emulator sharing updates between them."""
    ports = [free_port(), free_port()]
    started = []
    for port in ports:
        env = {
            **os.environ,
            "DATABASE_URL": database.url.render_as_string(hide_password=False),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "PRIMM_TELEGRAM__MODE": "webhook",
            "PRIMM_TELEGRAM__WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
            "PRIMM_TELEGRAM__PORT": str(port),
            "PRIMM_TELEGRAM__SECRET_TOKEN": "w0rkers-s3cret",
            "PRIMM_TELEGRAM__FLOOD_MESSAGES_PER_MINUTE": str(LIMIT),
            "PRIMM_HEALTH__PORT": "0",
            "PRIMM_NLU__URL": f"http://127.0.0.1:{free_port()}",  # Rasa down: search answers
        }
        started.append(await asyncio.create_subprocess_exec(PRIMM, "bot", env=env))
    try:
        async with asyncio.timeout(60):
            for port in ports:
                while not listening(port):  # noqa: ASYNC110 another process's socket, no event
                    await asyncio.sleep(0.1)
        emulator.workers = [f"http://127.0.0.1:{port}/telegram" for port in ports]
        yield started
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            codes = [await process.wait() for process in started]
    assert codes == [0, 0], "both stop cleanly"


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def test_two_bot_processes_take_a_chats_updates_in_turn_and_count_its_flood_together(
    emulator: BotApiEmulator, processes: list[asyncio.subprocess.Process]
) -> None:
    user = emulator.user(4200, "it")
    emulator.hang_next("sendMessage", 2.0)  # the first answer takes a while to go out
    emulator.send_text(user, "/privacy")  # to one process
    await asyncio.sleep(0.5)  # it is being handled when the next one arrives
    emulator.send_text(user, "/menu")  # to the other process
    async with asyncio.timeout(WAIT_SECONDS):
        first, second = await emulator.wait_for(4200, 2)
    # The privacy notice first, although the other process had the menu ready long before.
    assert payloads(first) == [] and "services" in payloads(second)

    flooder = emulator.user(4300, "fr")
    for turn in range(LIMIT):  # one update to each process in turn, each answered
        emulator.send_text(flooder, "/menu")
        async with asyncio.timeout(WAIT_SECONDS):
            await emulator.wait_for(4300, turn + 1)
    for _ in range(4):
        emulator.send_text(flooder, "/menu")
    async with asyncio.timeout(WAIT_SECONDS):
        sent = await emulator.wait_for(4300, LIMIT + 1)
    await asyncio.sleep(1)  # the other three are refused in silence
    slow_down = translations("fr").gettext(SLOW_DOWN)
    assert [m["text"] == slow_down for m in emulator.chat(4300)] == [False] * LIMIT + [True]
    assert len(sent) == LIMIT + 1
    assert emulator.errors == []
