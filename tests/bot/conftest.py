"""The bot over the real dialogue core and Rasa, polling the Bot API emulator over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.app import BotApplication, build_bot
from dialogue.app import App
from dialogue.core import Dialogue
from nlu.client import RasaClient
from shared.settings import Settings
from testbed.botapi import TOKEN, BotApiEmulator
from tests.support.telegram import RunningBot, polling


@pytest.fixture
def make_bot(
    settings: Settings,
    emulator: BotApiEmulator,
    sessions: sessionmaker[Session],
    rasa: RasaClient,
    dialogue: Dialogue,
) -> Callable[..., BotApplication]:
    """Builds the bot as `primm bot` does (settings changed by keyword), on a fresh database."""
    local = settings.model_copy(
        update={"telegram_bot_token": TOKEN, "telegram_api_base_url": emulator.base_url}
    )
    app = App(sessions.kw["bind"], sessions, rasa, dialogue)
    return lambda **changes: build_bot(local.model_copy(update=changes), app)


@pytest.fixture
def application(make_bot: Callable[..., BotApplication]) -> BotApplication:
    return make_bot()


@pytest.fixture
async def bot(application: BotApplication) -> AsyncIterator[RunningBot]:
    async with polling(application) as running:
        yield running
