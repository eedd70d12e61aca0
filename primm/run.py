"""`primm run`: the terminal chat and, when a token is set, the Telegram bot, in one process."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from dialogue.app import build_app
from primm.chat import chat
from shared.settings import Settings

log = logging.getLogger(__name__)


async def until_signal() -> None:
    """Wait for Ctrl-C or a stop from the service manager."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    await stop.wait()


def _report(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        print(f"the Telegram bot stopped: {task.exception()!r}", file=sys.stderr)


async def run_all(settings: Settings, language: str, interactive: bool) -> None:
    """The bot in the background (if configured), the chat in the foreground if on a terminal."""
    from bot.app import build_bot, run_bot

    app = build_app(settings)
    stop = asyncio.Event()
    bot: asyncio.Task[None] | None = None
    if settings.telegram_bot_token:
        bot = asyncio.create_task(run_bot(build_bot(settings, app), stop.wait()))
        bot.add_done_callback(_report)
    else:
        print("TELEGRAM_BOT_TOKEN is not set: the Telegram bot is not started.")
    try:
        if interactive:
            await chat(app.chats(), language)
        elif bot is not None:
            await until_signal()
    finally:
        stop.set()
        if bot is not None:
            await asyncio.wait([bot])
        await app.aclose()
