"""The Bot API emulator answers python-telegram-bot the way Telegram does, faults included."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from testbed.botapi import TOKEN, BotApiEmulator
from testbed.limits import RateLimits

CLIENT_TIMEOUT = 0.2  # seconds the client waits for an answer in these tests


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    request = HTTPXRequest(read_timeout=CLIENT_TIMEOUT)
    async with Bot(TOKEN, base_url=emulator.base_url, request=request) as client:
        yield client


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """RetryAfter.retry_after as a timedelta, without python-telegram-bot's deprecation warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


def described(refusal: str) -> str:
    """python-telegram-bot drops "Bad Request: " and capitalises what follows."""
    return f"(?i){re.escape(refusal)}"


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d or "?", callback_data=d)] for d in data])


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_chat_gets_a_short_burst_then_429_with_retry_after(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    clock = Clock()
    emulator.limits = RateLimits(chat_burst=2, clock=clock)
    user = emulator.user(1)
    await bot.send_message(user["id"], "one")
    await bot.send_message(user["id"], "two")
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(user["id"], "three")
    assert refused.value.retry_after == timedelta(seconds=1)
    clock.now += 1
    await bot.send_message(user["id"], "three, a second later")
    assert [m["text"] for m in emulator.chat(user["id"])] == [
        "one",
        "two",
        "three, a second later",
    ]
    assert [c.error for c in emulator.errors] == ["Too Many Requests: retry after 1"]


async def test_the_bot_as_a_whole_gets_30_messages_a_second_and_waits_out_a_429(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    clock = Clock()
    emulator.limits = RateLimits(clock=clock)
    users = [emulator.user(100 + n) for n in range(32)]
    for user in users[:30]:
        await bot.send_message(user["id"], "news")
    with pytest.raises(RetryAfter):
        await bot.send_message(users[30]["id"], "news")
    clock.now += 1 / 30  # a token is back, but the 429 holds for its whole retry_after
    with pytest.raises(RetryAfter):
        await bot.send_message(users[31]["id"], "news")
    clock.now += 1
    await bot.send_message(users[31]["id"], "news")
    assert emulator.chat(users[30]["id"]) == []
    assert len(emulator.chat(users[31]["id"])) == 1


@pytest.mark.parametrize(
    ("status", "retry_after", "error", "text"),
    [
        (500, None, NetworkError, "Internal Server Error"),
        (502, None, NetworkError, "Internal Server Error"),
        (429, 7, RetryAfter, "Flood control exceeded"),
    ],
)
async def test_injected_http_errors_then_the_next_call_works(
    emulator: BotApiEmulator,
    bot: Bot,
    status: int,
    retry_after: int | None,
    error: type[Exception],
    text: str,
) -> None:
    user = emulator.user(2)
    emulator.fail_next("sendMessage", status, retry_after)
    with pytest.raises(error, match=text) as failed:
        await bot.send_message(user["id"], "hello")
    if retry_after is not None:
        assert isinstance(failed.value, RetryAfter)
        assert failed.value.retry_after == timedelta(seconds=retry_after)
    await bot.send_message(user["id"], "hello again")
    assert [m["text"] for m in emulator.chat(user["id"])] == ["hello again"]
    assert emulator.errors == [], "injected faults are not the bot's errors"


async def test_a_dropped_connection_is_a_network_error_and_nothing_is_sent(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(3)
    emulator.drop_next("sendMessage")
    with pytest.raises(NetworkError, match="disconnected") as failed:
        await bot.send_message(user["id"], "hello")
    assert not isinstance(failed.value, TimedOut)
    assert emulator.chat(user["id"]) == []
    await bot.send_message(user["id"], "hello again")
    assert len(emulator.chat(user["id"])) == 1


async def test_a_late_answer_times_out_but_the_message_was_delivered(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(4)
    emulator.hang_next("sendMessage", CLIENT_TIMEOUT * 3)
    with pytest.raises(TimedOut):
        await bot.send_message(user["id"], "did it arrive?")
    await asyncio.sleep(CLIENT_TIMEOUT * 3)
    assert [m["text"] for m in emulator.chat(user["id"])] == ["did it arrive?"]


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("x" * 4097, "message is too long"),
        ("😀" * 2049, "message is too long"),  # 4098 UTF-16 code units
        ("<b>bold", "can't find end tag b"),
        ("<b>bold</i>", "unmatched end tag i"),
        ("1 < 2", "unsupported start tag"),
        ("<script>alert(1)</script>", "unsupported start tag"),
        ("Tom & Jerry", "character entity expected"),
        ("&nbsp;", "character entity expected"),
        ("<span>secret</span>", 'tag "span" must have attribute "class"'),
        ("<b> </b>", "message text is empty"),
    ],
)
async def test_text_telegram_refuses(
    emulator: BotApiEmulator, bot: Bot, text: str, refusal: str
) -> None:
    user = emulator.user(5)
    with pytest.raises(BadRequest, match=described(refusal)):
        await bot.send_message(user["id"], text, parse_mode="HTML")
    assert [refusal in str(c.error) for c in emulator.errors] == [True]


@pytest.mark.parametrize(
    "text",
    [
        "<b>" + "x" * 4096 + "</b>",  # the limit counts the text after entity parsing
        "&lt;b&gt; &amp; &quot; &#128512; &#x1F600;",
        '<a href="https://example.org">link</a> <span class="tg-spoiler">s</span>',
        "<tg-spoiler><i>nested</i></tg-spoiler>",
    ],
)
async def test_text_telegram_accepts(emulator: BotApiEmulator, bot: Bot, text: str) -> None:
    user = emulator.user(6)
    await bot.send_message(user["id"], text, parse_mode="HTML")
    assert emulator.errors == []


@pytest.mark.parametrize(
    ("markup", "refusal"),
    [
        (keyboard("ا" * 33), "BUTTON_DATA_INVALID"),  # 66 bytes
        (keyboard(""), "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "no action"}]]}, "Text buttons are unallowed"),
        ({"inline_keyboard": [[{"text": " ", "callback_data": "x"}]]}, "text must be non-empty"),
        (
            {"inline_keyboard": [[{"text": "two", "callback_data": "x", "url": "https://a.it"}]]},
            "too many actions",
        ),
        ({"inline_keyboard": [[{"text": "link", "url": "javascript:x"}]]}, "BUTTON_URL_INVALID"),
        ({"inline_keyboard": [{"text": "flat", "callback_data": "x"}]}, "Array of Arrays"),
        ({"inline_keyboard": "menu"}, "Array of Arrays"),
    ],
)
async def test_keyboards_telegram_refuses(
    emulator: BotApiEmulator, bot: Bot, markup: Any, refusal: str
) -> None:
    user = emulator.user(7)
    if isinstance(markup, InlineKeyboardMarkup):
        markup = markup.to_dict()
    with pytest.raises(BadRequest, match=described(refusal)):
        # Sent raw: python-telegram-bot's own classes refuse some of these shapes already.
        await bot.send_message(user["id"], "menu", api_kwargs={"reply_markup": markup})
    assert emulator.chat(user["id"]) == []


async def test_a_64_byte_callback_data_is_accepted(emulator: BotApiEmulator, bot: Bot) -> None:
    user = emulator.user(8)
    await bot.send_message(user["id"], "menu", reply_markup=keyboard("ا" * 32))
    assert emulator.errors == []


async def test_unknown_chats_and_callback_queries_are_refused(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(9)
    with pytest.raises(BadRequest, match=described("chat not found")):
        await bot.send_message(999_999, "hello")
    await bot.send_message(user["id"], "menu", reply_markup=keyboard("a"))
    emulator.tap(user, emulator.chat(user["id"])[0], "a")
    [update] = await bot.get_updates()
    assert update.callback_query is not None
    await update.callback_query.answer()
    with pytest.raises(BadRequest, match=described("query is too old")):
        await update.callback_query.answer()
    assert len(emulator.errors) == 2


async def test_first_reply_is_timed_when_the_emulator_receives_it(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(10)
    since = time.monotonic()
    waiting = asyncio.create_task(emulator.first_reply(user["id"], since))
    await bot.send_message(user["id"], "first")
    await bot.send_message(user["id"], "second")
    arrived = await asyncio.wait_for(waiting, 1)
    assert since <= arrived <= emulator.calls[-1].at, "the first of the two messages"


async def test_a_voice_is_an_upload_or_the_file_id_of_one(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(7)
    sent = await bot.send_voice(user["id"], b"OggS and the rest", duration=3)
    assert sent.voice is not None and sent.voice.duration == timedelta(seconds=3)
    assert emulator.files[sent.voice.file_id] == b"OggS and the rest"
    again = await bot.send_voice(user["id"], sent.voice.file_id)
    assert again.voice is not None and emulator.files[again.voice.file_id] == b"OggS and the rest"
    with pytest.raises(BadRequest, match=described("wrong file identifier")):
        await bot.send_voice(user["id"], "no-such-file")
    assert [m["voice"]["mime_type"] for m in emulator.chat(7)] == ["audio/ogg", "audio/ogg"]


async def test_a_copy_carries_the_content_without_the_sender(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    user = emulator.user(8, "it")
    user.update(first_name="Amina", username="amina_b")
    group = emulator.group(-1009, "Mediatori")
    emulator.send_media(user, "voice", caption="ascolta", file_id="v-8")
    voice = emulator.written[8][-1]
    heading = await bot.send_message(group["id"], "🎫 #1")
    copied = await bot.copy_message(
        group["id"], 8, voice["message_id"], caption="🎫 #1 · it", reply_to_message_id=heading.id
    )
    [_, copy] = emulator.chat(group["id"])
    assert copy["message_id"] == copied.message_id
    assert copy["voice"]["file_id"] == "v-8" and copy["caption"] == "🎫 #1 · it"
    assert copy["from"]["is_bot"] and copy["reply_to_message"]["message_id"] == heading.id
    assert "Amina" not in str(copy) and "amina_b" not in str(copy) and "forward_origin" not in copy
    with pytest.raises(BadRequest, match=described("message to copy not found")):
        await bot.copy_message(group["id"], 8, voice["message_id"] + 100)
    with pytest.raises(BadRequest, match=described("message caption is too long")):
        await bot.copy_message(group["id"], 8, voice["message_id"], caption="x" * 1025)
    with pytest.raises(BadRequest, match=described("chat not found")):
        await bot.copy_message(group["id"], 99, voice["message_id"])
