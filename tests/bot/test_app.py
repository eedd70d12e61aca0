"""Whole conversations through python-telegram-bot over HTTP, the emulator, Rasa and a database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import TypeHandler

from bot.app import BotApplication, start_bot, stop_bot
from bot.handlers.commands import descriptions
from dialogue.core import Dialogue
from dialogue.labels import category_label
from dialogue.payloads import (
    AskPerson,
    ChooseLanguage,
    Consent,
    SetArea,
    ShowDetails,
    ShowLanguages,
    ShowNearby,
    SkipArea,
    Vote,
    encode,
)
from render.telegram import render
from shared.i18n import NATIVE_NAMES, translations
from shared.settings import TelegramSettings
from storage.users import Feedback, UserState, UserStore
from testbed.botapi import SECRET_HEADER, BotApiEmulator
from testbed.rasa import free_port
from tests.support.content import translation
from tests.support.telegram import RunningBot, labels, payloads, plain, polling


def question(seeded: sessionmaker[Session], slug: str, language: str) -> str:
    return translation(seeded, slug, language).question


@pytest.mark.rasa
@pytest.mark.parametrize(
    ("language_code", "language", "province", "town"),
    [
        ("it", "it", "AN", "Ancona"),
        ("ar", "ar", "MC", "Macerata"),
        ("zh-hans", "zh", "AP", "Ascoli Piceno"),
        ("uk", "uk", "PU", "Pesaro"),
        ("en-GB", "en", "FM", "Fermo"),
    ],
)
async def test_whole_conversation(
    emulator: BotApiEmulator,
    bot: RunningBot,
    dialogue: Dialogue,
    seeded: sessionmaker[Session],
    sessions: sessionmaker[Session],
    language_code: str,
    language: str,
    province: str,
    town: str,
) -> None:
    """Onboarding, area, a question, feedback, another language, location, /deletedata."""
    user = emulator.user(1000 + len(language_code), language_code)
    chat = user["id"]
    _ = translations(language).gettext
    store = UserStore(sessions)

    await bot.handled(emulator.send_text(user, "/start"))
    [picker] = emulator.chat(chat)
    assert _("Choose your language") in picker["text"]
    assert labels(picker)[0] == "✓ " + NATIVE_NAMES[language]
    assert len(payloads(picker)) == 10
    assert store.load(chat) is None, "nothing is stored before consent"

    await bot.handled(emulator.tap(user, picker, encode(Consent(language))))
    area, share = emulator.chat(chat)
    assert area["message_id"] == picker["message_id"], "the area question replaces the picker"
    assert plain(area["text"]) == dialogue.menus.area_menu(language).text
    invitation = dialogue.menus.area_menu(language).location
    assert invitation is not None and plain(share["text"]) == invitation.text
    assert emulator.keyboard(chat)[0][0]["request_location"] is True
    assert store.load(chat) == UserState(language), "choosing the language is the consent"

    await bot.handled(emulator.tap(user, area, encode(SetArea(province))))
    towns = emulator.chat(chat)[0]
    assert towns["message_id"] == area["message_id"], "the town question replaces it too"
    await bot.handled(emulator.tap(user, towns, encode(SetArea(province, town))))
    menu = emulator.chat(chat)[0]
    assert town in plain(menu["text"])
    assert payloads(menu) == [b.payload for b in dialogue.menus.main_menu(language).buttons]
    assert store.load(chat) == UserState(language, province, town)

    asked = question(seeded, "permit_renewal", language)
    await bot.handled(emulator.send_text(user, asked))
    answer, offices = emulator.chat(chat)[-2:]
    expected = await dialogue.handle_text(UserState(language, province, town), asked)
    assert [plain(answer["text"]), plain(offices["text"])] == [r.text for r in expected.replies]
    assert f"Questura di {town}" in offices["text"], "the offices of the user's area follow"
    text = translation(seeded, "permit_renewal", language)
    assert plain(answer["text"]).endswith(text.short), "the short text comes first"
    assert payloads(answer)[0] == encode(ShowDetails("permit_renewal"))
    await bot.handled(emulator.tap(user, answer, payloads(answer)[0]))
    details = emulator.chat(chat)[-1]
    assert text.answer.split("\n")[0] in plain(details["text"]), "then the whole answer"

    count = len(emulator.chat(chat))
    await bot.handled(emulator.tap(user, answer, encode(Vote("permit_renewal", False))))
    [voted] = [m for m in emulator.chat(chat) if m["message_id"] == answer["message_id"]]
    assert not [p for p in payloads(voted) if p.startswith("fb:")]
    assert encode(AskPerson()) in payloads(emulator.chat(chat)[-1]), (
        "after 👎, a person is offered"
    )
    with sessions() as session:  # written with the chat's turn
        vote = session.scalars(select(Feedback).order_by(Feedback.id.desc())).first()
        assert vote is not None
        assert (vote.topic, vote.language, vote.helpful) == ("faq/permit_renewal", language, False)

    count = len(emulator.chat(chat))
    related = next(p for p in payloads(answer) if p.startswith("faq:"))
    await bot.handled(emulator.tap(user, answer, related))
    assert len(emulator.chat(chat)) == count + 2, "an answer and its offices arrive as new ones"

    other = "en" if language != "en" else "it"
    await bot.handled(emulator.send_text(user, question(seeded, "italian_courses_free", other)))
    switch = emulator.chat(chat)[-1]
    assert encode(ChooseLanguage(other)) in payloads(switch), (
        "answered in its language, with a switch"
    )
    await bot.handled(emulator.tap(user, switch, encode(ChooseLanguage(other))))
    courses = "language_courses"  # the topic kept, for a follow-up like "and in Fermo?"
    kept = UserState(other, province, town, courses, last_faq="italian_courses_free")
    assert store.load(chat) == kept
    await bot.handled(emulator.tap(user, emulator.chat(chat)[-1], encode(ShowLanguages())))
    await bot.handled(
        emulator.tap(user, emulator.chat(chat)[-1], encode(ChooseLanguage(language)))
    )
    assert store.load(chat) == replace(kept, language=language)

    await bot.handled(emulator.send_location(user, 43.3003, 13.4533))
    nearest = emulator.chat(chat)[-1]
    assert "Macerata" in nearest["text"].split("\n\n")[1]
    assert encode(ShowNearby("health", 43.3003, 13.4533)) in payloads(nearest)
    await bot.handled(emulator.tap(user, nearest, encode(ShowNearby("health", 43.3003, 13.4533))))
    assert emulator.chat(chat)[-1]["text"]

    await bot.handled(emulator.send_photo(user))
    friendly = await dialogue.handle_text(UserState(language), None)
    assert plain(emulator.chat(chat)[-1]["text"]) == friendly.replies[0].text

    await bot.handled(emulator.send_text(user, "/deletedata"))
    confirm = emulator.chat(chat)[-1]
    assert store.load(chat) is not None, "nothing is deleted before the user confirms"
    await bot.handled(emulator.tap(user, confirm, payloads(confirm)[0]))
    assert store.load(chat) is None
    assert "/start" in emulator.chat(chat)[-1]["text"]

    assert emulator.errors == []
    assert [c["command"] for c in emulator.commands[""]] == [c.command for c in descriptions("it")]
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
    assert menu["text"] == dialogue.menus.main_menu("it").text

    await bot.handled(emulator.tap(user, menu, "services"))
    [services] = emulator.chat(user["id"])
    assert services["text"] == dialogue.menus.services_menu("it").text

    await bot.handled(emulator.tap(user, services, "menu"))
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[0], "languages"))
    [picker] = emulator.chat(user["id"])
    assert encode(Consent("uk")) in payloads(picker), "without consent the picker shows the notice"

    await bot.handled(emulator.tap(user, picker, encode(Consent("uk"))))
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[0], encode(SkipArea())))
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[0], "languages"))
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[0], "lang:zh"))
    menu, _invitation = emulator.chat(user["id"])
    assert menu["text"] == dialogue.menus.main_menu("zh").text
    assert UserStore(sessions).load(user["id"]) == UserState("zh")

    await bot.handled(emulator.tap(user, menu, "cat:events"))
    assert len(emulator.chat(user["id"])) == 3, "an answer does not replace the menu"
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
    async def broken(_state: UserState, text: object, _asker: int | None = None) -> None:
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
    emulator: BotApiEmulator, make_bot: Callable[..., BotApplication], dialogue: Dialogue
) -> None:
    user = emulator.user(2005, "en")
    async with polling(make_bot()) as bot:
        await bot.handled(emulator.send_text(user, "/start"))
        await bot.handled(emulator.tap(user, emulator.chat(user["id"])[0], encode(Consent("ar"))))
    async with polling(make_bot()) as bot:
        await bot.handled(emulator.send_text(user, "/menu"))
    assert emulator.chat(user["id"])[-1]["text"] == dialogue.menus.main_menu("ar").text


@pytest.mark.rasa
async def test_a_town_typed_and_the_last_topic_are_kept_across_a_restart(
    emulator: BotApiEmulator, make_bot: Callable[..., BotApplication]
) -> None:
    user = emulator.user(2007, "it")
    chat = user["id"]
    async with polling(make_bot()) as bot:
        await bot.handled(emulator.send_text(user, "/start"))
        await bot.handled(emulator.tap(user, emulator.chat(chat)[0], encode(Consent("it"))))
        await bot.handled(emulator.send_text(user, "Jesi"))
        await bot.handled(emulator.send_text(user, "voglio imparare l'italiano"))
        assert "CPIA Ancona" in emulator.chat(chat)[-1]["text"], "the courses of the area"
    async with polling(make_bot()) as bot:
        await bot.handled(emulator.send_text(user, "e a Macerata?"))
        assert "CPIA Macerata" in emulator.chat(chat)[-1]["text"], "the topic asked before"
        await bot.handled(emulator.send_text(user, "/mydata"))
    kept = emulator.chat(chat)[-1]["text"]
    assert "Jesi" in kept
    assert category_label("language_courses", "it") in kept
    assert emulator.errors == []


async def test_webhook_mode_refuses_requests_without_the_secret(
    emulator: BotApiEmulator,
    make_bot: Callable[..., BotApplication],
    dialogue: Dialogue,
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    telegram = TelegramSettings(
        mode="webhook", webhook_url=url, port=port, secret_token="s3cret_T0ken-x"
    )
    application = make_bot(telegram=telegram)
    running = RunningBot()
    application.add_handler(TypeHandler(Update, running.mark), group=99)
    await start_bot(application)
    try:
        assert emulator.webhook == {"url": url, "secret_token": "s3cret_T0ken-x"}
        user = emulator.user(2010, "uk")
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "/menu",
                "chat": {"id": 2010, "type": "private"},
                "from": user,
            },
        }
        async with httpx.AsyncClient() as client:
            for headers in ({}, {SECRET_HEADER: "wrong"}):
                refused = await client.post(url, json=update, headers=headers)
                assert refused.status_code == 403
        assert emulator.chat(2010) == [], "a refused request is not handled"

        await running.handled(emulator.send_text(user, "/menu"))
        [menu] = emulator.chat(2010)
        assert menu["text"] == dialogue.menus.main_menu("uk").text
    finally:
        await stop_bot(application)
    assert emulator.errors == []
