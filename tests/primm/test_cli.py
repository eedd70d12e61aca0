"""The `primm` command says what is missing and exits non-zero instead of half-starting."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess

import pytest
from sqlalchemy.orm import Session, sessionmaker

from primm.i18n import translations
from primm.run import run_all
from primm.settings import Settings
from tests.support.botapi import TOKEN, BotApiEmulator
from tests.support.cli import PRIMM


def test_bot_without_token_says_so() -> None:
    env = {k: v for k, v in os.environ.items() if "TELEGRAM_BOT_TOKEN" not in k}
    done = subprocess.run(
        [PRIMM, "bot"], capture_output=True, text=True, env=env, check=False, timeout=60
    )
    assert done.returncode != 0
    assert "TELEGRAM_BOT_TOKEN is not set" in done.stderr


async def test_bot_process_answers_over_http_and_stops_on_sigterm(
    seeded: sessionmaker[Session], rasa_url: str
) -> None:
    emulator = BotApiEmulator()
    await emulator.start()
    database = seeded.kw["bind"].url.render_as_string(hide_password=False)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "PRIMM_NLU__URL": rasa_url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
    }
    process = await asyncio.create_subprocess_exec(
        PRIMM, "bot", env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        user = emulator.user(5000, "sq")
        emulator.send_text(user, "/menu")
        async with asyncio.timeout(60):
            [menu] = await emulator.wait_for(5000)
        assert menu["text"] == translations("sq").gettext(
            "What do you need? Choose a topic or write your question."
        )
        assert len(emulator.commands) == 10, "commands are set in every language at start"
    finally:
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            code = await process.wait()
        await emulator.stop()
    assert code == 0, "a stop request ends the bot cleanly"


async def test_run_without_token_says_so_once(
    settings: Settings, seeded: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    database = seeded.kw["bind"].url.render_as_string(hide_password=False)
    local = settings.model_copy(update={"database_url": database, "telegram_bot_token": None})
    await run_all(local, "it", interactive=False)
    assert capsys.readouterr().out.count("TELEGRAM_BOT_TOKEN is not set") == 1
