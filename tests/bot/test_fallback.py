"""A command the bot does not know gets the main menu, not silence."""

from __future__ import annotations

from dialogue.core import Dialogue
from testbed.botapi import BotApiEmulator
from tests.support.telegram import RunningBot


async def test_an_unknown_command_gets_the_main_menu(
    emulator: BotApiEmulator, bot: RunningBot, dialogue: Dialogue
) -> None:
    user = emulator.user(2101, "uk")
    await bot.handled(emulator.send_text(user, "/nonsense with arguments"))
    [menu] = emulator.chat(user["id"])
    assert menu["text"] == dialogue.menus.main_menu("uk").text
    assert emulator.errors == []
