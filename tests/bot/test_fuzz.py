"""Property test: whatever a user sends, the bot answers with requests Telegram accepts.

Random updates go through the Bot API emulator to the real Application, dialogue core and Rasa
server: any Unicode, 10,000-character messages, emoji, control and direction marks, HTML-like
text, commands with garbage arguments, callback queries with foreign data, edited messages and
media. Sometimes Telegram fails the reply (500, 429, dropped connection); only then may an error
reach the error handler, and the user still hears back.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from telegram.ext import ContextTypes

from bot.app import BotApplication
from testbed.botapi import MEDIA, BotApiEmulator
from tests.support.telegram import RunningBot

SEED = 20261125
EXAMPLES = 30  # per database backend: about 75 updates, 5-15 s on the shared 2 cores
# `make fuzz`: this many updates on PostgreSQL, BATCH at a time from as many users at once.
MESSAGES = int(os.environ.get("PRIMM_FUZZ_MESSAGES", "10000"))
BATCH = 10
LANGUAGE_CODES = [None, "it", "en", "ar", "zh-hans", "uk", "ur", "bn", "sq", "fr", "es", "de"]
EMOJI = ["😀", "🇮🇹", "👍🏽", "👨‍👩‍👧", "❤️", "🙏", "🏳️‍🌈", "\u200d", "\ufe0f"]
MARKS = ["\u200f", "\u200e", "\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c"]
CONTROLS = ["\u0000", "\u0007", "\u001b", "\t", "\n", "\r", "\u007f", "\u0085", "\ufeff"]
HTML_BITS = ["<b>", "</b>", "<i>", "&amp;", "&", "<", ">", "<script>", '"', "&#128512;", "<a>"]
WORDS = ["permesso", "Questura", "Ancona", "تصريح", "الإقامة", "посвідка", "居留", "কাজ", "?"]
QUESTIONS = [
    "come rinnovo il permesso di soggiorno ad Ancona?",
    "where can I learn Italian in Macerata",
    "كيف أجدد تصريح الإقامة في أنكونا",
    "我在哪里可以学意大利语",
    "де я можу вивчати італійську мову",
    "mujhe doctor chahiye Pesaro",
    "dove dormire stanotte",
    "ciao",
]
FOREIGN_DATA = ["faq:nope", "cat:nope", "cat:housing:ZZ", "lang:de", "lang:", "start:", "start:xx"]
COMMANDS = ["start", "menu", "help", "language", "deletedata", "nonsense"]
KINDS = ["text", "command", "button", "foreign", "edit", "media"]
FAULTS = ["500", "429", "drop"]

texts = st.one_of(
    st.text(min_size=1, max_size=300),
    st.text(min_size=1, max_size=8).map(lambda piece: (piece * 10_000)[:10_000]),
    st.lists(st.sampled_from(EMOJI), min_size=1, max_size=60).map("".join),
    st.lists(st.sampled_from(MARKS + CONTROLS + WORDS), min_size=1, max_size=30).map("".join),
    st.lists(st.sampled_from(HTML_BITS + WORDS + [" "]), min_size=1, max_size=40).map("".join),
    st.sampled_from(QUESTIONS),
)
commands = st.tuples(st.sampled_from(COMMANDS), st.text(max_size=40)).map(
    lambda parts: f"/{parts[0]} {parts[1]}".rstrip()
)
callback_data = st.one_of(
    st.sampled_from(FOREIGN_DATA),
    st.text(min_size=1, max_size=64).filter(lambda data: len(data.encode()) <= 64),
)


SETTINGS = settings(
    deadline=None,
    database=None,
    # One bot, emulator and database serve every example, as one long-running bot would.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@dataclass
class Tally:
    """What the run did, printed at the end with the seed so a failure can be replayed."""

    examples: int = 0
    updates: int = 0
    injected: int = 0


@pytest.fixture
def failures(application: BotApplication) -> list[BaseException]:
    """Every exception that reached the error handlers."""
    seen: list[BaseException] = []

    async def record(_update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.error is not None:
            seen.append(context.error)

    application.add_error_handler(record)
    return seen


@pytest.fixture
def tally(capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> Iterator[Tally]:
    counts = Tally()
    yield counts
    with capsys.disabled():
        print(
            f"\nfuzz ({request.node.callspec.id}): {counts.examples} examples, "
            f"{counts.updates} updates ({counts.injected} with an injected fault), seed {SEED}"
        )


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """An injected 429 raises RetryAfter, not python-telegram-bot's deprecation warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


def inject(emulator: BotApiEmulator, fault: str | None) -> None:
    """Make Telegram fail the bot's next sendMessage, if a fault is given."""
    if fault is None:
        return
    if fault == "drop":
        emulator.drop_next("sendMessage")
    else:
        emulator.fail_next("sendMessage", int(fault), retry_after=1)


def act(emulator: BotApiEmulator, data: st.DataObject, user: dict[str, Any], kind: str) -> int:
    """One thing of this kind a user does; returns its update id.

    Every kind draws the same values whatever the chat holds, so Hypothesis can replay it.
    """
    pick, inaccessible = data.draw(st.integers(0, 63)), data.draw(st.booleans())
    payload, other = data.draw(callback_data), data.draw(texts)
    sent = emulator.chat(user["id"])
    if kind == "text":
        return emulator.send_text(user, other)
    if kind == "command":
        return emulator.send_text(user, data.draw(commands))
    if kind == "button" and sent and sent[-1].get("reply_markup"):
        rows = sent[-1]["reply_markup"]["inline_keyboard"]
        buttons = [b["callback_data"] for row in rows for b in row]
        return emulator.tap(user, sent[-1], buttons[pick % len(buttons)])
    if kind in ("button", "foreign"):
        return emulator.press(user, payload, None if inaccessible or not sent else sent[-1])
    if kind == "edit":
        return emulator.edit_text(user, pick + 1, other)
    return emulator.send_media(user, sorted(MEDIA)[pick % len(MEDIA)])


def replies(emulator: BotApiEmulator, chat_id: int, since: int) -> list[str]:
    """The methods of the bot's successful calls for this chat after call number `since`."""
    return [
        call.method
        for call in emulator.calls[since:]
        if call.error is None
        and call.method in ("sendMessage", "editMessageText", "answerCallbackQuery")
        and str(call.params.get("chat_id", chat_id)) == str(chat_id)
    ]


@pytest.mark.rasa
@settings(SETTINGS, max_examples=EXAMPLES)
@seed(SEED)
@given(data=st.data())
async def test_any_update_gets_valid_replies(
    emulator: BotApiEmulator,
    bot: RunningBot,
    failures: list[BaseException],
    tally: Tally,
    data: st.DataObject,
) -> None:
    tally.examples += 1
    # A new user each example: examples do not depend on each other, so Hypothesis can replay one.
    user = emulator.user(7000 + tally.examples, data.draw(st.sampled_from(LANGUAGE_CODES)))
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(KINDS))
        errors_before, calls_before = len(failures), len(emulator.calls)
        fault = None
        if kind == "text":
            text = data.draw(texts)
            if not text.startswith("/"):  # a text that is no command is sure to get a message
                fault = data.draw(st.sampled_from([None] * 3 + FAULTS))
                inject(emulator, fault)
            update_id = emulator.send_text(user, text)
        else:
            update_id = act(emulator, data, user, kind)
        await bot.handled(update_id)
        tally.updates += 1
        tally.injected += fault is not None

        assert emulator.errors == [], "every request the bot made is one Telegram accepts"
        made = replies(emulator, user["id"], calls_before)
        caught = failures[errors_before:]
        if fault:
            assert len(caught) == 1, f"the injected {fault} reaches the error handler"
            assert "sendMessage" in made, "and the user still gets an apology"
        else:
            assert caught == [], f"no exception for a {kind}: {caught!r}"
            assert made, f"a {kind} gets a reply"
        if kind in ("button", "foreign"):
            assert made.count("answerCallbackQuery") == 1, "every button press is answered"


@pytest.mark.fuzz
@pytest.mark.rasa
@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
@settings(SETTINGS, max_examples=MESSAGES // BATCH)
@seed(SEED)
@given(data=st.data())
async def test_thousands_of_updates_at_once_get_valid_replies(
    emulator: BotApiEmulator,
    bot: RunningBot,
    failures: list[BaseException],
    tally: Tally,
    data: st.DataObject,
) -> None:
    tally.examples += 1
    calls_before = len(emulator.calls)
    sent = []
    for _ in range(BATCH):
        tally.updates += 1
        user = emulator.user(100_000 + tally.updates, data.draw(st.sampled_from(LANGUAGE_CODES)))
        kind = data.draw(st.sampled_from(KINDS))
        sent.append((user["id"], kind, act(emulator, data, user, kind)))
    await asyncio.gather(*(bot.handled(update_id) for _, _, update_id in sent))

    assert emulator.errors == [], "every request the bot made is one Telegram accepts"
    assert failures == [], "no exception reached the error handler"
    for chat_id, kind, _ in sent:
        assert replies(emulator, chat_id, calls_before), f"a {kind} gets a reply"
