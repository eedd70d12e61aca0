"""What one turn costs the bot: database statements and the bot's own CPU, per kind of input.

The dialogue core (`Chats`, the door every front end uses) answers users who agreed to the
notice, in the ten languages, over the real Rasa server and the seed content, on SQLite and on
PostgreSQL (`--database-url`). Each turn's statements are counted as the engine sends them;
its CPU is this process's (the Rasa server's own is not in it). A thousand turns of each kind
run first, unmeasured, as in a bot that has been running: the content's cache is warm. Printed:
statements, transactions, CPU and wall time per text question, per FAQ button and per /menu
command; the last line printed is one JSON object with every figure.

    .venv/bin/python -m bench.turn_cost [--turns 300] [--warmup 1000] [--database-url ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select

from bench.bot_load import seed_database
from dialogue.app import build_app
from dialogue.chats import Chats
from dialogue.core import Turn
from dialogue.payloads import ShowFaq, encode
from nlu import runtime
from shared.settings import Settings, get_settings
from storage.content import Faq
from storage.users import UserState
from testbed.rasa import rasa_server

KINDS = ("text", "button", "command")


@dataclass
class Tally:
    """Statements and transactions the engine sent, and per-turn figures by kind of input."""

    statements: int = 0
    transactions: int = 0
    turns: dict[str, list[tuple[int, int, float, float]]] = field(default_factory=dict)

    def watch(self, engine: Engine) -> None:
        """Count every statement and every commit the engine sends."""

        def statement(*_args: Any) -> None:
            self.statements += 1

        def commit(*_args: Any) -> None:
            self.transactions += 1

        event.listen(engine, "before_cursor_execute", statement)
        event.listen(engine, "commit", commit)

    async def turn(self, kind: str, answer: Awaitable[Turn]) -> None:
        """One turn, measured (a coroutine does nothing until awaited)."""
        statements, transactions = self.statements, self.transactions
        cpu, wall = time.process_time(), time.perf_counter()
        await answer
        self.turns.setdefault(kind, []).append(
            (
                self.statements - statements,
                self.transactions - transactions,
                time.process_time() - cpu,
                time.perf_counter() - wall,
            )
        )

    def figures(self) -> dict[str, dict[str, float]]:
        """Means per kind (CPU and wall time in ms), and the most statements a turn sent."""
        result = {}
        for kind, rows in self.turns.items():
            result[kind] = {
                "turns": len(rows),
                "statements": round(statistics.mean(row[0] for row in rows), 2),
                "statements_max": max(row[0] for row in rows),
                "transactions": round(statistics.mean(row[1] for row in rows), 2),
                "cpu_ms": round(statistics.mean(row[2] for row in rows) * 1000, 2),
                "wall_ms": round(statistics.mean(row[3] for row in rows) * 1000, 2),
            }
        return result


async def measure(
    settings: Settings, questions: dict[str, list[str]], turns: int, warmup: int, seed: int
) -> dict[str, dict[str, float]]:
    """Users who agreed ask seed questions, tap an FAQ and ask for the menu, in turn."""
    app = build_app(settings)
    chats = Chats(app.dialogue, app.sessions)
    tally = Tally()
    with app.sessions() as session:
        slugs = list(session.scalars(select(Faq.slug)))
    rng = random.Random(seed)
    languages = sorted(questions)
    try:
        for n, language in enumerate(languages):
            chats.users.consent(10_000 + n, UserState(language, province="AN"))
        # A running bot has read the content before: turns first, unmeasured, warm the pools
        # and the content's cache (other questions: the measured ones are drawn afresh).
        for measured in (False, True):
            if measured:
                tally.watch(app.engine)
            for n in range(turns if measured else warmup):
                chat = 10_000 + n % len(languages)
                language = languages[n % len(languages)]
                fallback = UserState(language)
                question = rng.choice(questions[language])
                await tally.turn("text", chats.text(chat, fallback, question))
                tap = encode(ShowFaq(rng.choice(slugs)))
                await tally.turn("button", chats.button(chat, fallback, tap))
                await tally.turn("command", chats.command(chat, fallback, "menu", ""))
            if not measured:
                tally.turns.clear()
    finally:
        await app.aclose()
    return tally.figures()


def main() -> None:
    """Seed a database, start Rasa, measure, print the figures and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=300, help="turns of each kind")
    parser.add_argument(
        "--warmup", type=int, default=1000, help="unmeasured turns of each kind first"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--database-url", help="a database to migrate and seed (default: a new SQLite file)"
    )
    args = parser.parse_args()
    settings = get_settings()
    with tempfile.TemporaryDirectory(prefix="primm-bench-") as tmp:
        database_url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        questions = seed_database(settings, database_url)
        with rasa_server(settings, runtime.train(settings)) as (rasa_url, _rasa):
            settings = settings.model_copy(
                update={
                    "database_url": database_url,
                    "nlu": settings.nlu.model_copy(update={"url": rasa_url}),
                }
            )
            figures = asyncio.run(measure(settings, questions, args.turns, args.warmup, args.seed))
    backend = database_url.partition(":")[0]
    for kind in KINDS:
        row = figures[kind]
        print(
            f"{backend}, {kind}: {row['statements']} statements a turn (at most "
            f"{row['statements_max']}), {row['transactions']} transactions, bot CPU "
            f"{row['cpu_ms']} ms, wall {row['wall_ms']} ms, {row['turns']} turns",
            flush=True,
        )
    print(json.dumps({"database": backend, **figures}))


if __name__ == "__main__":
    main()
