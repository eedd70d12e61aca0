"""`make run` as a newcomer types it, in a terminal, and `primm run` as a service."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pexpect
import pytest

from dialogue.core import Dialogue
from primm.chat import PROMPT
from shared.i18n import translations
from shared.settings import ROOT
from storage.users import UserState
from testbed.botapi import TOKEN, BotApiEmulator
from testbed.rasa import free_port
from tests.support.cli import PRIMM, stopped

# Training is the test session's (`rasa_model`): `primm run` finds the same model and only
# starts the server, which takes about a minute on this machine.
START_SECONDS = 300
ANSWER_SECONDS = 60


def _rasa_processes(port: int) -> list[int]:
    """Pids of Rasa servers listening on `port` (read from /proc, as `ps` would)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"run" in words and b"--enable-api" in words and str(port).encode() in words:
            found.append(int(entry.name))
    return found


def _gone(url: str) -> bool:
    try:
        httpx.get(url, timeout=2)
    except httpx.HTTPError:
        return True
    return False


@pytest.fixture
def newcomer(tmp_path: Path, rasa_model: Path) -> Iterator[dict[str, str]]:
    """The environment of a person trying the bot: a database of their own, Rasa not running."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if "TELEGRAM_BOT_TOKEN" not in key and "SESSION_SECRET" not in key
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'primm.db'}",
        PRIMM_NLU__URL=f"http://127.0.0.1:{port}",
        TERM="dumb",
    )
    yield env
    for pid in _rasa_processes(port):  # only when the test failed half way
        os.kill(pid, signal.SIGKILL)


def _screen(child: pexpect.spawn[str]) -> str:
    return " ".join((child.before or "").split())


def _first_line(answer: str) -> str:
    return " ".join(answer.splitlines()[0].split())


async def test_make_run_in_a_terminal_answers_in_italian_and_arabic_and_quits_cleanly(
    newcomer: dict[str, str], dialogue: Dialogue
) -> None:
    questions = {
        "it": "dove posso imparare l'italiano gratis?",
        "ar": "أين يمكنني تعلم اللغة الإيطالية مجانا؟",
    }
    expected = {}
    for language, text in questions.items():
        turn = await dialogue.handle_text(UserState(language="it"), text)
        assert turn.understanding is not None
        assert turn.understanding.category == "language_courses"
        assert turn.language == language, "the answer comes in the language of the question"
        expected[language] = _first_line(turn.replies[0].text)

    child = pexpect.spawn(
        "make",
        ["--no-print-directory", "run"],
        cwd=str(ROOT),
        env=newcomer,
        encoding="utf-8",
        timeout=START_SECONDS,
        dimensions=(50, 200),
    )
    try:
        child.expect_exact(
            translations("it").gettext("What do you need? Choose a topic or write your question.")
        )
        child.expect_exact(PROMPT)
        for language, text in questions.items():
            child.sendline(text)
            child.expect_exact(PROMPT, timeout=ANSWER_SECONDS)
            assert expected[language] in _screen(child)
        child.sendline("/quit")
        child.expect(pexpect.EOF, timeout=60)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    url = newcomer["PRIMM_NLU__URL"]
    assert _gone(url) and not _rasa_processes(int(url.rsplit(":", 1)[1]))


async def test_primm_run_as_a_service_serves_telegram_and_stops_on_sigterm(
    newcomer: dict[str, str], emulator: BotApiEmulator
) -> None:
    env = {**newcomer, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": emulator.base_url}
    process = await asyncio.create_subprocess_exec(
        PRIMM,
        "run",
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        user = emulator.user(7100, "it")
        emulator.send_text(user, "/menu")
        async with asyncio.timeout(START_SECONDS):
            [menu] = await emulator.wait_for(7100)
        assert menu["text"] == translations("it").gettext(
            "What do you need? Choose a topic or write your question."
        )
        url = env["PRIMM_NLU__URL"]
        assert not _gone(url), "the Rasa server it started serves while the bot runs"
    finally:
        code = await stopped(process)
    assert code == 0, "a stop request ends the service cleanly"
    assert _gone(url) and not _rasa_processes(int(url.rsplit(":", 1)[1]))
