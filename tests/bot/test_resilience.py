"""PostgreSQL restarted while people chat: the bot apologises while it is down, then reconnects."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dialogue.app import build_dialogue
from dialogue.core import Dialogue
from dialogue.payloads import Consent, encode
from nlu.client import RasaClient
from shared.settings import Settings
from testbed.botapi import BotApiEmulator
from tests.support.postgres import PostgresServer
from tests.support.telegram import RunningBot


@pytest.fixture
def engine(restartable: Engine) -> Engine:
    """Users and content in one database on a server the test restarts, as in production."""
    return restartable


@pytest.fixture
def dialogue(settings: Settings, sessions: sessionmaker[Session], rasa: RasaClient) -> Dialogue:
    return build_dialogue(settings, sessions, rasa)


@pytest.mark.rasa
async def test_bot_answers_again_after_a_database_restart(
    emulator: BotApiEmulator, bot: RunningBot, dialogue: Dialogue, postgres: PostgresServer
) -> None:
    user = emulator.user(2301, "ar")
    await bot.handled(emulator.send_text(user, "/start"))
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[0], encode(Consent("ar"))))
    chat = emulator.chat(user["id"])

    postgres.stop()
    sorry = dialogue.apology("ar").replies[0].text
    for typed in ("/menu", "كيف اجدد الاقامة"):
        before = len(chat)
        await bot.handled(emulator.send_text(user, typed))
        assert [m["text"] for m in chat[before:]] == [sorry], "told once, kindly, in Arabic"

    postgres.start()
    await bot.handled(emulator.send_text(user, "/menu"))
    assert chat[-1]["text"] == dialogue.menus.main_menu("ar").text, (
        "the language chosen is still there"
    )
    assert emulator.errors == []
