"""The `primm` command says what is missing and exits non-zero instead of half-starting, and
prints the content's coverage."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import subprocess
from pathlib import Path
from types import UnionType
from typing import get_args, get_type_hints

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from admin.faqs import Draft, add_version, load_faq
from content.loader import seed_faqs
from content.report import coverage, text
from content.repository import latest_translations
from primm.cli import GROUPS, HANDLER, parser
from primm.run import run_all
from shared.i18n import translations
from shared.settings import Settings
from shared.vocabulary import OFFICE_CATEGORIES, PROVINCES
from testbed.botapi import TOKEN, BotApiEmulator
from testbed.rasa import free_port
from tests.support.cli import PRIMM, run_primm, stopped


def test_bot_without_token_says_so() -> None:
    env = {k: v for k, v in os.environ.items() if "TELEGRAM_BOT_TOKEN" not in k}
    done = subprocess.run(
        [PRIMM, "bot"], capture_output=True, text=True, env=env, check=False, timeout=60
    )
    assert done.returncode != 0
    assert "TELEGRAM_BOT_TOKEN is not set" in done.stderr


async def test_bot_process_serves_health_logs_json_without_text_and_stops_on_sigterm(
    seeded: sessionmaker[Session],
) -> None:
    emulator = BotApiEmulator()
    await emulator.start()
    database = seeded.kw["bind"].url.render_as_string(hide_password=False)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "PRIMM_LOG_FORMAT": "json",
        "PRIMM_HEALTH__PORT": str(health := free_port()),
        "PRIMM_NLU__URL": f"http://127.0.0.1:{free_port()}",  # Rasa down: a warning is logged
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
        emulator.send_text(user, "segretissimo: dove dormo stanotte a Jesi?")
        async with asyncio.timeout(60):
            await emulator.wait_for(5000, 2)
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"http://127.0.0.1:{health}/healthz")).status_code == 200
    finally:
        code = await stopped(process)
        await emulator.stop()
    assert code == 0, "a stop request ends the bot cleanly"
    assert process.stderr is not None
    logged = (await process.stderr.read()).decode().splitlines()
    assert logged, "start and the NLU outage are logged"
    records = [json.loads(line) for line in logged]
    assert {"levelname", "name", "message"} <= set(records[0])
    assert not [line for line in logged if "segretissimo" in line or "User5000" in line]


async def test_run_without_token_says_so_once(
    settings: Settings, seeded: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    database = seeded.kw["bind"].url.render_as_string(hide_password=False)
    local = settings.model_copy(update={"database_url": database, "telegram_bot_token": None})
    await run_all(local, "it", interactive=False)
    assert capsys.readouterr().out.count("TELEGRAM_BOT_TOKEN is not set") == 1


def test_content_report_prints_the_coverage_of_the_database(
    seeded: sessionmaker[Session],
) -> None:
    printed = run_primm(seeded, "http://127.0.0.1:9", "content", "report").stdout
    with seeded() as session:
        assert printed == text(coverage(session)) + "\n"
    matrix = printed.split("\n\n")[1].splitlines()
    assert matrix[0].split() == ["topic", *PROVINCES]
    assert [line.split()[0] for line in matrix[1:]] == list(OFFICE_CATEGORIES)
    assert "verified_on" in printed.split("\n\n")[3].splitlines()[0]


def test_a_deployments_load_keeps_what_mediators_changed(sessions: sessionmaker[Session]) -> None:
    first = run_primm(sessions, "http://127.0.0.1:9", "content", "load", "--if-empty").stdout
    assert first.startswith(f"content loaded: faqs: {len(seed_faqs())} created")
    with sessions.begin() as session:
        faq = load_faq(session, "permit_renewal")
        assert faq is not None
        seed = latest_translations(faq)["ar"]
        edited = Draft(seed.question, "نص جديد من الوسيط", seed.examples, seed.status)
        add_version(session, faq, "ar", edited, reviewer="mediator")
    again = run_primm(sessions, "http://127.0.0.1:9", "content", "load", "--if-empty").stdout
    assert again.startswith("content kept")
    with sessions() as session:
        faq = load_faq(session, "permit_renewal")
        assert faq is not None
        assert latest_translations(faq)["ar"].answer == "نص جديد من الوسيط"


SUBCOMMANDS = [
    ["run", "--lang", "ar"],
    ["chat"],
    ["bot"],
    ["ask", "--lang", "bn", "dove studio?"],
    ["ask"],
    ["db", "upgrade"],
    ["content", "load", "--if-empty"],
    ["content", "load", "--dir", "elsewhere"],
    ["content", "export", "--dir", "elsewhere"],
    ["content", "report"],
    ["nlu", "install"],
    ["nlu", "export"],
    ["nlu", "train", "--force"],
    ["nlu", "risk"],
    ["nlu", "serve"],
    ["admin", "serve"],
    ["admin", "create-user", "amina", "--role", "mediator"],
]


@pytest.mark.parametrize("argv", SUBCOMMANDS, ids=" ".join)
def test_each_subcommand_calls_its_function_with_typed_arguments(
    settings: Settings, argv: list[str]
) -> None:
    args = parser(settings).parse_args(argv)
    function = getattr(args, HANDLER)
    options = {name: value for name, value in vars(args).items() if name not in (HANDLER, *GROUPS)}
    # Raises when an option names no parameter or a parameter without default gets no option.
    bound = inspect.signature(function).bind(settings, **options)
    hints = get_type_hints(function)
    for name, value in bound.arguments.items():
        kinds = get_args(hints[name]) if isinstance(hints[name], UnionType) else (hints[name],)
        assert isinstance(value, kinds), f"{' '.join(argv)}: {name}={value!r} is not {hints[name]}"


def test_voice_writes_a_playable_note(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    out = tmp_path / "permit.ogg"
    args = ("voice", "--lang", "bn", "--faq", "permit_renewal", "-o", str(out))
    done = run_primm(seeded, "http://127.0.0.1:9", *args)
    assert "Ogg/Opus" in done.stdout
    data = out.read_bytes()
    assert data.startswith(b"OggS") and data[28:36] == b"OpusHead"
    decoded = tmp_path / "permit.wav"  # opusdec (opus-tools) plays it into a file
    subprocess.run(["opusdec", "--quiet", str(out), str(decoded)], check=True, timeout=60)
    assert decoded.stat().st_size > 48_000  # more than a second of 16-bit audio
    missing = ("voice", "--lang", "it", "--faq", "no_such_faq", "-o", str(out))
    with pytest.raises(subprocess.CalledProcessError) as failed:
        run_primm(seeded, "http://127.0.0.1:9", *missing)
    assert "no published text" in failed.value.stderr
