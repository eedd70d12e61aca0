"""Telegram front end under load: simulated users through the Bot API emulator over HTTP.

The bot runs as its own process (`primm bot`, long polling) against the emulator on loopback,
the real Rasa server and a database with the seed content. Each user does what people do: /start,
picks a language, goes through the menus, asks questions in that language, opens a related FAQ,
asks again, back to the menu; it waits for the bot's reply, then a random think time, before its
next step. Reported: reply latency p50/p95 (update queued → first reply received by the
emulator), updates per second, the bot process's peak resident memory, the CPU time of the bot,
Rasa and this process (emulator and users) per update, and the database statements the bot sent
per update (its `/metrics`). The last line printed
is one JSON object with every figure.

    .venv/bin/python -m bench.bot_load [--users 50] [--seconds 30] [--think 0.3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bench.nlu_eval import folds, train, write_data
from content.loader import load_seed
from content.repository import published_translations
from nlu import runtime
from nlu.training_data import PIPELINE, examples, write_training_data
from shared.settings import Settings, get_settings
from storage.content import Faq
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from testbed.botapi import TOKEN, BotApiEmulator
from testbed.rasa import free_port, rasa_server

REPLY_TIMEOUT = 10.0  # seconds; a reply later than this counts as lost
PROVINCES = ("AN", "AP", "FM", "MC", "PU")
Step = Callable[[dict[str, Any]], int]


@dataclass
class Figures:
    """What the users saw."""

    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    measuring: bool = False

    def record(self, seconds: float | None) -> None:
        """One reply (or a lost one), counted only in the measured window."""
        if not self.measuring:
            return
        if seconds is None:
            self.lost += 1
        else:
            self.latencies.append(seconds)


def seed_database(settings: Settings, url: str) -> dict[str, list[str]]:
    """Migrate and load the seed content; return FAQ questions and examples per language."""
    engine = make_engine(url)
    upgrade(engine)
    questions: dict[str, list[str]] = {}
    with make_sessionmaker(engine).begin() as session:
        load_seed(session)
        write_training_data(session, runtime.training_dir(settings))
        for faq in session.scalars(select(Faq).options(selectinload(Faq.translations))):
            for language, text in published_translations(faq).items():
                questions.setdefault(language, []).extend([text.question, *text.examples])
    engine.dispose()
    return questions


def held_out(database_url: str, work: Path) -> tuple[Path, dict[str, list[str]]]:
    """A model trained without the first fold of the covered examples, and that fold's FAQ
    questions and examples per language."""
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        items = examples(session)
    engine.dispose()
    unseen = set(folds([item for item in items if not item.topic], 5)[0])
    data, domain = write_data(work, [item for item in items if item not in unseen])
    seconds = train(PIPELINE, data, domain, work, "held-out")
    print(f"model without {len(unseen)} held-out examples trained in {seconds:.0f} s", flush=True)
    questions: dict[str, list[str]] = {}
    for item in unseen:
        if item.label.startswith("faq/"):
            questions.setdefault(item.language, []).append(item.text)
    return work / "held-out.tar.gz", questions


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def statements(health_port: int) -> float | None:
    """The bot's `primm_db_statements_total` so far (None from a bot that does not count)."""
    async with httpx.AsyncClient() as client:
        page = (await client.get(f"http://127.0.0.1:{health_port}/metrics")).text
    for family in text_string_to_metric_families(page):
        if family.name == "primm_db_statements":
            return sum(sample.value for sample in family.samples if sample.name.endswith("_total"))
    return None


def percentile(ordered: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie."""
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@asynccontextmanager
async def bot_process(
    settings: Settings,
    emulator: BotApiEmulator,
    database_url: str,
    rasa_url: str,
    log: Path,
    health_port: int,
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`primm bot` polling the emulator; stopped with SIGTERM as a service manager would."""
    env = {
        "PRIMM_HEALTH__PORT": str(health_port),
        **os.environ,
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "PRIMM_NLU__URL": rasa_url,
        # Simulated users tap faster than the flood guard lets a person write (20 a minute).
        "PRIMM_TELEGRAM__FLOOD_MESSAGES_PER_MINUTE": "100000",
    }
    primm = Path(sys.executable).with_name("primm")
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            str(primm), "bot", env=env, stdout=output, stderr=output
        )
        try:
            async with asyncio.timeout(60):
                while not any(call.method == "getUpdates" for call in emulator.calls):
                    if process.returncode is not None:
                        raise RuntimeError(f"primm bot exited: see {log}")
                    await asyncio.sleep(0.05)
            yield process
        finally:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


class User:
    """One simulated person, going round a conversation in one language."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        user_id: int,
        language: str,
        questions: list[str],
        rng: random.Random,
    ) -> None:
        self.emulator = emulator
        self.user = emulator.user(user_id, language)
        self.language = language
        self.questions = questions
        self.rng = rng

    def last(self) -> dict[str, Any]:
        """The newest message the bot sent this user."""
        return self.emulator.chat(self.user["id"])[-1]

    def tap_where(self, wanted: Callable[[str], bool]) -> Step:
        """Tap a button of the newest message whose callback data matches."""

        def step(user: dict[str, Any]) -> int:
            message = self.last()
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            data = [b["callback_data"] for row in rows for b in row if wanted(b["callback_data"])]
            if not data:  # nothing to tap: ask something instead
                return self.emulator.send_text(user, self.question())
            return self.emulator.tap(user, message, self.rng.choice(data))

        return step

    def question(self) -> str:
        """A question or example question of an FAQ, in the user's language."""
        return self.rng.choice(self.questions)

    def say(self, text: Callable[[], str]) -> Step:
        """Send a text message."""
        return lambda user: self.emulator.send_text(user, text())

    def steps(self) -> list[Step]:
        """One round: onboarding, menus, two questions with a related FAQ, the menu again."""
        category = self.rng.choice(["residence_permit", "health", "work", "legal_aid"])
        province = self.rng.choice(PROVINCES)
        return [
            self.say(lambda: "/start"),
            self.tap_where(lambda data: data == f"start:{self.language}"),
            self.tap_where(lambda data: data == "services"),
            self.tap_where(lambda data: data == f"cat:{category}"),
            self.tap_where(lambda data: data == f"cat:{category}:{province}"),
            self.say(self.question),
            self.tap_where(lambda data: data.startswith("faq:")),
            self.say(self.question),
            self.say(lambda: "/menu"),
        ]

    async def run(self, figures: Figures, think: float, until: float) -> None:
        """Go round the conversation until the deadline, timing every reply."""
        while time.monotonic() < until:
            for step in self.steps():
                since = time.monotonic()
                step(self.user)
                try:
                    arrived = await asyncio.wait_for(
                        self.emulator.first_reply(self.user["id"], since), REPLY_TIMEOUT
                    )
                except TimeoutError:
                    figures.record(None)
                else:
                    figures.record(arrived - since)
                await asyncio.sleep(self.rng.expovariate(1 / think) if think else 0)
                if time.monotonic() >= until:
                    return


async def load(
    args: argparse.Namespace,
    settings: Settings,
    questions: dict[str, list[str]],
    database_url: str,
    rasa_url: str,
    rasa_pid: int,
    work: Path,
) -> dict[str, Any]:
    """Start the emulator and the bot, run the users, return the figures."""
    emulator = BotApiEmulator()
    await emulator.start()
    rng = random.Random(args.seed)
    languages = sorted(questions)
    users = []
    for n in range(args.users):
        language = languages[n % len(languages)]
        users.append(
            User(emulator, 10_000 + n, language, questions[language], random.Random(rng.random()))
        )
    figures = Figures()
    health_port = free_port()
    try:
        async with bot_process(
            settings, emulator, database_url, rasa_url, work / "bot.log", health_port
        ) as bot:
            warm_until = time.monotonic() + args.warmup
            end = warm_until + args.seconds
            runs = [asyncio.create_task(u.run(figures, args.think, end)) for u in users]
            await asyncio.sleep(args.warmup)
            figures.measuring = True
            sent_before = await statements(health_port)
            started, cpu_before = time.monotonic(), cpu_seconds(bot.pid)
            rasa_before, here_before = cpu_seconds(rasa_pid), time.process_time()
            await asyncio.gather(*runs)
            elapsed, cpu = time.monotonic() - started, cpu_seconds(bot.pid) - cpu_before
            rasa_cpu = cpu_seconds(rasa_pid) - rasa_before
            # The emulator and the simulated users: this process.
            here_cpu = time.process_time() - here_before
            figures.measuring = False
            sent_after = await statements(health_port)
            rss = peak_rss_mb(bot.pid)
    finally:
        await emulator.stop()
    ordered = sorted(figures.latencies)
    if not ordered:
        raise RuntimeError(f"no replies: see {work / 'bot.log'}")
    updates = len(ordered) + figures.lost
    return {
        "held_out": args.held_out,
        "users": args.users,
        "think_seconds": args.think,
        "measured_seconds": round(elapsed, 1),
        "updates": updates,
        "lost": figures.lost,
        "updates_per_second": round(updates / elapsed, 1),
        "latency_p50_ms": round(statistics.median(ordered) * 1000, 1),
        "latency_p95_ms": round(percentile(ordered, 0.95) * 1000, 1),
        "latency_max_ms": round(ordered[-1] * 1000, 1),
        "bot_peak_rss_mb": round(rss, 1),
        "bot_cpu_ms_per_update": round(cpu * 1000 / updates, 1),
        "db_statements_per_update": (
            round((sent_after - sent_before) / updates, 2)
            if sent_before is not None and sent_after is not None
            else None
        ),
        "rasa_cpu_ms_per_update": round(rasa_cpu * 1000 / updates, 1),
        "emulator_cpu_ms_per_update": round(here_cpu * 1000 / updates, 1),
        "refused_requests": len(emulator.errors),
    }


def main() -> None:
    """Run the benchmark and print the figures and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users")
    parser.add_argument("--seconds", type=float, default=30, help="measured time")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured time first")
    parser.add_argument(
        "--think", type=float, default=0.3, help="mean seconds a user waits after a reply"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--held-out", action="store_true", help="ask only questions the model was not trained on"
    )
    parser.add_argument(
        "--database-url", help="a database to migrate and seed (default: a new SQLite file)"
    )
    args = parser.parse_args()
    settings = get_settings()
    with tempfile.TemporaryDirectory(prefix="primm-bench-") as tmp:
        work = Path(tmp)
        database_url = args.database_url or f"sqlite:///{work / 'bench.db'}"
        questions = seed_database(settings, database_url)
        if args.held_out:
            model, questions = held_out(database_url, work)
        else:
            model = runtime.train(settings)
        with rasa_server(settings, model) as (rasa_url, rasa):
            result = asyncio.run(
                load(args, settings, questions, database_url, rasa_url, rasa.pid, work)
            )
    print(
        f"{'questions the model never saw, ' if args.held_out else ''}"
        f"{result['users']} users, think {args.think} s, {result['measured_seconds']} s measured: "
        f"{result['updates']} updates, {result['updates_per_second']} updates/s, "
        f"reply p50 {result['latency_p50_ms']} ms, p95 {result['latency_p95_ms']} ms, "
        f"max {result['latency_max_ms']} ms, lost {result['lost']}, "
        f"bot peak RSS {result['bot_peak_rss_mb']} MB, CPU an update: bot "
        f"{result['bot_cpu_ms_per_update']} ms, database statements an update "
        f"{result['db_statements_per_update']}, Rasa {result['rasa_cpu_ms_per_update']} ms, "
        f"emulator and users {result['emulator_cpu_ms_per_update']} ms, refused requests "
        f"{result['refused_requests']}",
        flush=True,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
