"""The real bot Application polling the Bot API emulator, and waiting for it to finish updates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from bot.app import BotApplication, build_bot
from dialogue.app import App, build_dialogue
from shared.settings import Settings
from testbed.botapi import TOKEN, BotApiEmulator
from testbed.fakes import FakeNlu

WAIT_SECONDS = 30  # generous: the full suite runs on two cores beside a Rasa server


class RunningBot:
    """Knows when the bot has finished with an update, so tests don't sleep and guess."""

    def __init__(self) -> None:
        self._done: dict[int, asyncio.Event] = {}

    def _event(self, update_id: int) -> asyncio.Event:
        return self._done.setdefault(update_id, asyncio.Event())

    async def mark(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """Runs after every other handler of the update (in a later handler group)."""
        self._event(update.update_id).set()

    async def handled(self, update_id: int) -> None:
        """Wait until the bot has finished with this update."""
        async with asyncio.timeout(WAIT_SECONDS):
            await self._event(update_id).wait()


@asynccontextmanager
async def polling(application: BotApplication) -> AsyncIterator[RunningBot]:
    """Start the application with long polling; stop it cleanly afterwards."""
    running = RunningBot()
    application.add_handler(TypeHandler(Update, running.mark), group=99)
    await application.initialize()
    if application.post_init:  # as run_polling() does
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(timeout=timedelta(seconds=1))
    try:
        yield running
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


@asynccontextmanager
async def offline_polling(
    settings: Settings, emulator: BotApiEmulator, sessions: sessionmaker[Session]
) -> AsyncIterator[RunningBot]:
    """The real bot over a database with a fake NLU, for handlers that never ask it."""
    local = settings.model_copy(
        update={"telegram_bot_token": TOKEN, "telegram_api_base_url": emulator.base_url}
    )
    nlu = FakeNlu()
    app = App(sessions.kw["bind"], sessions, nlu, build_dialogue(local, sessions, nlu))
    async with polling(build_bot(local, app)) as running:
        yield running


def payloads(message: dict[str, Any]) -> list[str]:
    """The callback data of a message's inline buttons, in order."""
    markup = message.get("reply_markup", {})
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def labels(message: dict[str, Any]) -> list[str]:
    """The labels of a message's inline buttons, in order."""
    markup = message.get("reply_markup", {})
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


def plain(text: str) -> str:
    """Message text without the direction isolates added around Latin names in RTL text."""
    return text.replace("\u2068", "").replace("\u2069", "")
