"""Whole conversations through python-telegram-bot over HTTP, the emulator, Rasa and a database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from bot.app import BotApplication
from bot.handlers.start import START
from bot.render import render
from bot.users import UserStore
from content.models import Faq
from content.repository import published_translations
from dialogue.core import Dialogue, UserState
from primm.i18n import NATIVE_NAMES, translations
from tests.support.botapi import BotApiEmulator
from tests.support.telegram import RunningBot, polling


def question(seeded: sessionmaker[Session], slug: str, language: str) -> str:
    with seeded() as session:
        faq = session.scalars(
            select(Faq).where(Faq.slug == slug).options(selectinload(Faq.translations))
        ).one()
        return published_translations(faq)[language].question


def payloads(message: dict[str, Any]) -> list[str]:
    return [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


@pytest.mark.rasa
@pytest.mark.parametrize(
    ("language_code", "language"),
    [("it", "it"), ("ar", "ar"), ("zh-hans", "zh"), ("uk", "uk"), ("en-GB", "en")],
)
async def test_start_pick_language_ask_and_tap(
    emulator: BotApiEmulator,
    bot: RunningBot,
    dialogue: Dialogue,
    seeded: sessionmaker[Session],
    sessions: sessionmaker[Session],
    language_code: str,
    language: str,
) -> None:
    user = emulator.user(1000 + len(language_code), language_code)
    await bot.handled(emulator.send_text(user, "/start"))
    [picker] = emulator.chat(user["id"])
    _ = translations(language).gettext
    assert _("Choose your language") in picker["text"]
    assert labels(picker)[0] == "✓ " + NATIVE_NAMES[language]
    assert len(payloads(picker)) == 10
    assert UserStore(sessions).load(user["id"]) is None, "nothing is stored before consent"

    await bot.handled(emulator.tap(user, picker, START + language))
    [menu] = emulator.chat(user["id"])
    assert menu["message_id"] == picker["message_id"], "the menu replaces the picker"
    assert menu["text"] == dialogue.main_menu(language).text
    assert UserStore(sessions).load(user["id"]) == UserState(language)

    await bot.handled(emulator.send_text(user, question(seeded, "permit_renewal", language)))
    answer = emulator.chat(user["id"])[-1]
    faq = await dialogue.handle_text(
        UserState(language), question(seeded, "permit_renewal", language)
    )
    assert answer["text"].replace("\u2068", "").replace("\u2069", "") == faq.replies[-1].text
    assert payloads(answer)[0].startswith("faq:")

    count = len(emulator.chat(user["id"]))
    await bot.handled(emulator.tap(user, answer, payloads(answer)[0]))
    assert len(emulator.chat(user["id"])) == count + 1, "an answer arrives as a new message"
    assert emulator.chat(user["id"])[-1]["text"]

    await bot.handled(emulator.send_photo(user))
    friendly = await dialogue.handle_text(UserState(language), None)
    assert emulator.chat(user["id"])[-1]["text"] == friendly.replies[0].text

    assert emulator.errors == []
    assert set(emulator.commands) >= {"", "ar", "zh", "uk", "en"}


async def test_telegram_language_we_do_not_speak_gets_the_default(
    emulator: BotApiEmulator, bot: RunningBot
) -> None:
    user = emulator.user(2001, "de")
    await bot.handled(emulator.send_text(user, "/start"))
    [picker] = emulator.chat(user["id"])
    assert labels(picker)[0] == "✓ Italiano"
    assert emulator.errors == []


async def test_menus_edit_in_place_and_language_needs_consent(
    emulator: BotApiEmulator,
    bot: RunningBot,
    dialogue: Dialogue,
    sessions: sessionmaker[Session],
) -> None:
    user = emulator.user(2002, "it")
    await bot.handled(emulator.send_text(user, "/menu"))
    [menu] = emulator.chat(user["id"])
    assert menu["text"] == dialogue.main_menu("it").text

    await bot.handled(emulator.tap(user, menu, "services"))
    [services] = emulator.chat(user["id"])
    assert services["text"] == dialogue.services_menu("it").text

    await bot.handled(emulator.tap(user, services, "menu"))
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[0], "languages"))
    [picker] = emulator.chat(user["id"])
    assert START + "uk" in payloads(picker), "without consent the picker shows the notice"

    await bot.handled(emulator.tap(user, picker, START + "uk"))
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[0], "languages"))
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[0], "lang:zh"))
    [menu] = emulator.chat(user["id"])
    assert menu["text"] == dialogue.main_menu("zh").text
    assert UserStore(sessions).load(user["id"]) == UserState("zh")

    await bot.handled(emulator.tap(user, menu, "cat:events"))
    assert len(emulator.chat(user["id"])) == 2, "an answer does not replace the menu"
    assert emulator.errors == []


@pytest.mark.parametrize(
    "text",
    [
        "<b>permesso</b> & <script>alert(1)</script>",
        "x" * 10_000,
        "😀🇮🇹👍🏽" * 50,
        "\u202e\u200f\u2066 permesso \u2069\u0000\u0007",
        "فين Questura <i>Ancona</i> &amp;",
    ],
)
async def test_hostile_text_gets_valid_replies(
    emulator: BotApiEmulator, bot: RunningBot, text: str
) -> None:
    user = emulator.user(2003, "ar")
    await bot.handled(emulator.send_text(user, text))
    assert emulator.chat(user["id"])
    assert emulator.errors == []


async def test_failure_is_logged_without_text_and_apologised(
    emulator: BotApiEmulator,
    bot: RunningBot,
    dialogue: Dialogue,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(_state: UserState, text: object) -> None:
        raise RuntimeError(f"cannot handle {text}")

    monkeypatch.setattr(dialogue, "handle_text", broken)
    user = emulator.user(2004, "uk")
    await bot.handled(emulator.send_text(user, "my secret question"))
    [apology] = emulator.chat(user["id"])
    assert apology["text"] == dialogue.apology("uk").replies[0].text
    assert "RuntimeError" in caplog.text
    assert "secret" not in caplog.text
    assert emulator.errors == []


@pytest.mark.parametrize(("status", "retry_after"), [(500, None), (429, 3)])
async def test_telegram_failing_a_send_gets_an_apology_not_a_crash(
    emulator: BotApiEmulator,
    bot: RunningBot,
    dialogue: Dialogue,
    caplog: pytest.LogCaptureFixture,
    status: int,
    retry_after: int | None,
) -> None:
    user = emulator.user(2006, "ar")
    emulator.fail_next("sendMessage", status, retry_after)
    await bot.handled(emulator.send_text(user, "/menu"))
    [apology] = emulator.chat(user["id"])
    assert apology["text"] == render(dialogue.apology("ar").replies[0])[0].text
    assert "update" in caplog.text
    assert [c.injected for c in emulator.calls if c.error] == [True]
    assert emulator.errors == []


async def test_state_survives_a_restart(
    emulator: BotApiEmulator, make_bot: Callable[[], BotApplication], dialogue: Dialogue
) -> None:
    user = emulator.user(2005, "en")
    async with polling(make_bot()) as bot:
        await bot.handled(emulator.send_text(user, "/start"))
        await bot.handled(emulator.tap(user, emulator.chat(user["id"])[0], START + "ar"))
    async with polling(make_bot()) as bot:
        await bot.handled(emulator.send_text(user, "/menu"))
    assert emulator.chat(user["id"])[-1]["text"] == dialogue.main_menu("ar").text
