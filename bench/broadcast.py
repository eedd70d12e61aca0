"""One announcement to N subscribers through the Bot API emulator, with faults and a kill.

The sender runs as its own process (`python -m broadcast`) on a SQLite database, against the
emulator on loopback enforcing Telegram's limits (30 messages/s, 1/s per chat, 429 with
`retry_after`). Faults are injected while it runs (429s, 500s, dropped connections, answers
later than the sender waits, users who blocked the bot); halfway it is killed with SIGKILL and
started again. Reported: what each recipient got, duplicates, time against the floor N / rate,
and the sustained rate: messages per second from the first arrival to the last, leaving out the
pauses Telegram ordered with its 429s and the restart gap (from the kill to the next arrival).
The last line printed is one JSON object with every figure.

    .venv/bin/python -m bench.broadcast [--recipients 10000] [--rate 25]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from shared.settings import get_settings
from shared.vocabulary import LANGUAGES, PROVINCES
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from testbed.botapi import BotApiEmulator
from testbed.broadcasts import announce, sender_process, states, subscribe
from testbed.limits import RateLimits

READ_TIMEOUT = 2.0  # the sender's wait for an answer; a hang outlasts it


async def inject(emulator: BotApiEmulator, every: float) -> None:
    """A fault every `every` seconds, in turn: 429, 500, drop, a late answer, a block."""
    faults = [
        lambda: emulator.fail_next("sendMessage", 429, retry_after=1),
        lambda: emulator.fail_next("sendMessage", 500),
        lambda: emulator.drop_next("sendMessage"),
        lambda: emulator.hang_next("sendMessage", READ_TIMEOUT + 1),
        lambda: emulator.fail_next("sendMessage", 403),
    ]
    index = 0
    while True:
        await asyncio.sleep(every)
        faults[index % len(faults)]()
        index += 1


async def halfway(emulator: BotApiEmulator, recipients: int) -> None:
    """Until one of the chats in the middle has its message (one of them may have blocked us)."""
    middle = range(recipients // 2, recipients // 2 + 10)
    waits = [asyncio.create_task(emulator.wait_for(chat)) for chat in middle]
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for wait in waits:
        wait.cancel()


def covered(spans: list[tuple[float, float]], until: float) -> float:
    """Seconds covered by possibly overlapping spans, up to `until`."""
    total, reached = 0.0, float("-inf")
    for start, end in sorted(spans):
        start, end = max(start, reached), min(end, until)
        if end > start:
            total += end - start
        reached = max(reached, end)
    return total


async def run(recipients: int, rate: int, fault_every: float, work: Path) -> dict[str, Any]:
    """Subscribe, announce, send with one kill and restart, count what arrived."""
    engine = make_engine(f"sqlite:///{work / 'primm.db'}")
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    limits = RateLimits()
    emulator = BotApiEmulator(limits=limits)
    await emulator.start()
    people = [
        (chat, LANGUAGES[chat % len(LANGUAGES)], PROVINCES[chat % len(PROVINCES)])
        for chat in range(1, recipients + 1)
    ]
    subscribe(sessions, emulator, people)
    texts = {
        language: f"Announcement in {language}: job fair on Tuesday" for language in LANGUAGES
    }
    announcement = announce(sessions, texts)
    env = {"PRIMM_BROADCAST__READ_TIMEOUT": str(READ_TIMEOUT)}

    started = time.monotonic()
    faults = asyncio.create_task(inject(emulator, fault_every or float("inf")))
    first = await sender_process(engine, emulator, rate, env)
    await halfway(emulator, recipients)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    killed = time.monotonic()
    killed_at = killed - started
    before = sum(len(emulator.chat(chat)) for chat, _, _ in people)
    second = await sender_process(engine, emulator, rate, env)
    await second.communicate()
    seconds = time.monotonic() - started
    arrivals = emulator.arrivals()
    restart_gap = min(at for at in arrivals if at > killed) - killed
    paused = covered(limits.pauses, arrivals[-1])
    sending = arrivals[-1] - arrivals[0] - paused - restart_gap
    after = sum(len(emulator.chat(chat)) for chat, _, _ in people) - before
    resumed = seconds - killed_at
    print(f"after the restart: {after} messages in {resumed:.1f} s = {after / resumed:.2f}/s")
    faults.cancel()
    await emulator.stop()

    found = states(sessions, announcement)
    engine.dispose()
    copies = [len(emulator.chat(chat)) for chat, _, _ in people]
    count = Counter(state.value for state in found.values())
    delivered = sum(copies)
    print(f"killed after {killed_at:.1f} s, restarted; finished after {seconds:.1f} s")
    print(f"floor N / rate = {recipients / rate:.1f} s; messages arrived: {delivered}")
    print(f"requests Telegram would have refused (not injected): {len(emulator.errors)}")
    print(f"from the first message to the last: 429 pauses {paused:.1f} s, restart gap ", end="")
    print(f"{restart_gap:.1f} s, sending {sending:.1f} s")
    return {
        "recipients": recipients,
        "sent": count.get("sent", 0),
        "failed": count.get("failed", 0),
        "blocked": count.get("blocked", 0),
        "uncertain": count.get("uncertain", 0),
        "pending": count.get("pending", 0),
        "duplicates": sum(max(0, n - 1) for n in copies),
        "seconds": round(seconds, 1),
        "rate": round(delivered / seconds, 2),
        "sustained_rate": round(delivered / sending, 2),
        "configured_rate": rate,
    }


def main() -> None:
    """Parse the arguments, run once, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=get_settings().broadcast.rate)
    parser.add_argument(
        "--fault-every", type=float, default=2.0, help="seconds between faults (0: none)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        result = asyncio.run(run(args.recipients, args.rate, args.fault_every, Path(work)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
