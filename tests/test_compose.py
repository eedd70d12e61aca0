"""compose.yaml as production runs it, with podman on this machine (`make stack-test`, not in
`make test`): the built images come up in compose's order, every service answers its health
checks, a question in Arabic gets the Rasa-routed answer through the bot, an announcement
reaches a subscriber once, and a retraining from the admin tool survives a new `nlu` container.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from admin.faqs import load_faq
from content.repository import ContentRepository, latest_translations
from dialogue.payloads import Consent, Follow, encode
from shared.settings import ROOT
from storage.db import make_engine, make_sessionmaker
from testbed.botapi import TOKEN, BotApiEmulator
from tests.support.admin import PASSWORD, csrf_token, login
from tests.support.telegram import plain

pytestmark = pytest.mark.stack

PROJECT = "primm-stack"
COMPOSE = [
    str(ROOT / ".venv" / "bin" / "podman-compose"),
    "-p",
    PROJECT,
    "-f",
    "compose.yaml",
    "-f",
    "scripts/compose.host.yaml",
]
# Where scripts/compose.host.yaml puts each service on this machine.
DB = "127.0.0.1:55432"
NLU = "http://127.0.0.1:55005"
BOT_HEALTH = "http://127.0.0.1:55108"
SENDER_HEALTH = "http://127.0.0.1:55109"
ADMIN = "http://127.0.0.1:55800"
HEALTHY_WITHIN = 300  # seconds
TRAINED_WITHIN = 1800  # seconds: the server trains on one thread, beside its parses
FISHING = [
    "licenza di pesca fiume dove si fa",
    "come si fa la licenza di pesca per il fiume",
    "licenza per pescare nel fiume",
    "mi serve la licenza di pesca nel fiume",
]


@dataclass
class Stack:
    """The running stack: its environment, the emulated Telegram and what was measured."""

    env: dict[str, str]
    telegram: BotApiEmulator
    figures: dict[str, str] = field(default_factory=dict)

    def compose(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*COMPOSE, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return done

    def podman(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["podman", *args], env=self.env, capture_output=True, text=True, check=False
        )

    def container(self, service: str) -> str:
        return f"{PROJECT}_{service}_1"

    async def healthy(self, service: str) -> float:
        """Seconds until the service's compose health check passes (podman runs it on demand)."""
        start = time.monotonic()
        while time.monotonic() - start < HEALTHY_WITHIN:
            if self.podman("healthcheck", "run", self.container(service)).returncode == 0:
                return time.monotonic() - start
            state = self.podman("inspect", "-f", "{{.State.Status}}", self.container(service))
            assert state.stdout.strip() != "exited", self.logs(service)
            await asyncio.sleep(1)
        raise AssertionError(f"{service} not healthy in {HEALTHY_WITHIN} s\n{self.logs(service)}")

    def logs(self, service: str) -> str:
        done = self.podman("logs", "--tail", "40", self.container(service))
        return done.stdout + done.stderr

    def database_url(self) -> str:
        return f"postgresql://primm:{self.env['POSTGRES_PASSWORD']}@{DB}/primm"


def podman_env(telegram: BotApiEmulator) -> dict[str, str]:
    """The stack's secrets, made for this run, and podman set up as scripts/podman.sh does."""
    return {
        **os.environ,
        "CONTAINERS_CONF": str(ROOT / "scripts" / "containers.conf"),
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "PRIMM_ADMIN__SESSION_SECRET": secrets.token_hex(32),
        "PRIMM_ADMIN__USERNAME": "admin",
        "PRIMM_ADMIN__PASSWORD": PASSWORD,
    }


@pytest.fixture(scope="module")
async def stack() -> AsyncIterator[Stack]:
    """Up in compose.yaml's order (podman 4.3 cannot wait for its conditions); down afterwards."""
    telegram = BotApiEmulator()
    await telegram.start()
    running = Stack(podman_env(telegram), telegram)
    running.compose("down", "--volumes")
    try:
        running.compose("up", "-d", "db")
        await running.healthy("db")
        running.compose("up", "-d", "nlu")
        running.figures["nlu healthy after"] = f"{await running.healthy('nlu'):.0f} s"
        running.compose("up", "-d", "migrate")
        exited = running.podman("wait", running.container("migrate"))
        assert exited.stdout.strip() == "0", running.logs("migrate")
        running.compose("up", "-d", "bot", "broadcast", "admin")
        for service in ("bot", "broadcast", "admin"):
            running.figures[f"{service} healthy after"] = f"{await running.healthy(service):.0f} s"
        yield running
    finally:
        running.compose("down", "--volumes")
        await telegram.stop()
        print("\nstack figures:", running.figures)


async def admin_client() -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=ADMIN, timeout=30)
    response = await login(client, "admin", PASSWORD)
    assert response.status_code == 303, response.text
    return client


async def post(client: httpx.AsyncClient, page: str, path: str, data: dict[str, object]) -> str:
    """Post a form with the token of the page it is on; the page the redirect leads to."""
    token = csrf_token((await client.get(page)).text)
    response = await client.post(path, data={"csrftoken": token, **data})
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def consent(telegram: BotApiEmulator, user: dict[str, object], language: str) -> None:
    """/start, then the language under the privacy notice: the user's consent."""
    chat = int(str(user["id"]))
    sent = len(telegram.chat(chat))
    telegram.send_text(user, "/start")
    async with asyncio.timeout(60):
        notice = (await telegram.wait_for(chat, sent + 1))[-1]
        telegram.tap(user, notice, encode(Consent(language)))
        await telegram.wait_for(chat, sent + 2)


async def seen(telegram: BotApiEmulator, chat: int, text: str, seconds: int) -> int:
    """How often `text` reached the chat, once it has (or the wait is over)."""
    for _ in range(seconds):
        if any(text in plain(str(message["text"])) for message in telegram.chat(chat)):
            break
        await asyncio.sleep(1)
    return sum(text in plain(str(message["text"])) for message in telegram.chat(chat))


async def ask(telegram: BotApiEmulator, user: dict[str, object], text: str) -> tuple[str, float]:
    """What the bot answered, and the seconds its first message took."""
    chat = int(str(user["id"]))
    sent = len(telegram.chat(chat))
    since = time.monotonic()
    telegram.send_text(user, text)
    async with asyncio.timeout(60):
        first = await telegram.first_reply(chat, since)
    await asyncio.sleep(2)  # the answer may come in more than one message
    answer = "\n".join(plain(str(message["text"])) for message in telegram.chat(chat)[sent:])
    return answer, first - since


def faq_text(stack: Stack, slug: str, language: str) -> tuple[str, str]:
    """An FAQ's published question and the first line of its answer, as the stack stores them."""
    engine = make_engine(stack.database_url())
    try:
        faq = ContentRepository(make_sessionmaker(engine)).faq_answer(slug, [language])
        assert faq is not None
        return faq.question, faq.answer.split("\n")[0]
    finally:
        engine.dispose()


async def test_every_service_answers_its_health_and_metrics(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        for base in (BOT_HEALTH, SENDER_HEALTH):
            assert (await client.get(f"{base}/healthz")).status_code == 200
            ready = await client.get(f"{base}/readyz")
            assert ready.status_code == 200 and ready.json()["database"] is True
            assert "# TYPE" in (await client.get(f"{base}/metrics")).text
        assert (await client.get(f"{BOT_HEALTH}/readyz")).json()["rasa"] is True
        assert (await client.get(f"{ADMIN}/readyz")).status_code == 200
        login_page = await client.get(f"{ADMIN}/login")
        assert login_page.status_code == 200 and 'name="password"' in login_page.text


async def test_a_question_in_arabic_gets_the_rasa_routed_answer(stack: Stack) -> None:
    user = stack.telegram.user(7001, "ar")
    await consent(stack.telegram, user, "ar")
    question, first_line = faq_text(stack, "permit_renewal", "ar")
    reply, seconds = await ask(stack.telegram, user, question)
    stack.figures["Arabic answer after"] = f"{seconds * 1000:.0f} ms"
    assert plain(first_line)[:40] in reply, reply
    async with httpx.AsyncClient(timeout=10) as client:
        metrics = (await client.get(f"{BOT_HEALTH}/metrics")).text
    assert re.search(r'primm_messages_total\{[^}]*engine="rasa"[^}]*\} [1-9]', metrics), metrics


async def test_an_announcement_reaches_its_subscriber_once(stack: Stack) -> None:
    user = stack.telegram.user(7002, "ar")
    await consent(stack.telegram, user, "ar")
    sent = len(stack.telegram.chat(7002))
    stack.telegram.send_text(user, "/subscribe")
    async with asyncio.timeout(60):
        menu = (await stack.telegram.wait_for(7002, sent + 1))[-1]
    stack.telegram.tap(
        user, menu, encode(Follow("events", on=True))
    )  # confirmed in the menu's own message
    assert await seen(stack.telegram, 7002, "/unsubscribe", 60) == 1
    text = f"معرض الوظائف {secrets.token_hex(3)}"
    client = await admin_client()
    form = {"text_ar": text, "status_ar": "published", "languages": ["ar"], "topics": ["events"]}
    path = await post(client, "/announcements", "/announcements/new", form)
    await post(client, path, f"{path}/schedule", {"now": "1"})
    await client.aclose()
    # The sender looks for new announcements every minute; after one more look, still once.
    assert await seen(stack.telegram, 7002, text, 180) == 1
    await asyncio.sleep(65)
    assert await seen(stack.telegram, 7002, text, 0) == 1


async def test_a_retrained_model_outlives_the_nlu_container(stack: Stack) -> None:
    client = await admin_client()
    engine = make_engine(stack.database_url())
    with make_sessionmaker(engine)() as session:
        faq = load_faq(session, "ssn_registration")
        assert faq is not None
        current = latest_translations(faq)["it"]
        form = {
            "question": current.question,
            "answer": current.answer,
            "examples": "\n".join([*current.examples, *FISHING]),
            "status": "draft",
        }
    engine.dispose()
    editor = "/faqs/ssn_registration?lang=it"
    await post(client, editor, "/faqs/ssn_registration/it", form)
    await post(client, editor, "/faqs/ssn_registration/it/publish", {})
    start = time.monotonic()
    await post(client, "/training", "/training", {})
    for _ in range(TRAINED_WITHIN // 5):
        page = (await client.get("/training")).text
        if 'data-testid="progress"' not in page:
            break
        await asyncio.sleep(5)
    stack.figures["retraining took"] = f"{time.monotonic() - start:.0f} s"
    status = re.search(r'data-testid="run-status">([^<]+)<', page)
    assert status is not None and status.group(1) in ("succeeded", "riuscito"), page
    await client.aclose()

    stack.compose("up", "-d", "--force-recreate", "nlu")
    stack.figures["new nlu container healthy after"] = f"{await stack.healthy('nlu'):.0f} s"
    async with httpx.AsyncClient(timeout=10) as rasa:
        model = (await rasa.get(f"{NLU}/status")).json()["model_file"]
    assert Path(model).name != "seed.tar.gz", model
    user = stack.telegram.user(7003, "it")
    await consent(stack.telegram, user, "it")
    _question, first_line = faq_text(stack, "ssn_registration", "it")
    reply, _seconds = await ask(stack.telegram, user, FISHING[0])
    assert plain(first_line)[:40] in reply, reply
