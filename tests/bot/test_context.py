"""How replies reach a chat: menus edit themselves unless the message can no longer be edited."""

from __future__ import annotations

from dialogue.core import Dialogue
from testbed.botapi import BotApiEmulator
from tests.support.telegram import RunningBot


async def test_a_button_on_a_deleted_message_gets_a_new_message(
    emulator: BotApiEmulator, bot: RunningBot, dialogue: Dialogue
) -> None:
    user = emulator.user(2102, "zh")
    await bot.handled(emulator.press(user, "languages", message=None))
    [picker] = emulator.chat(user["id"])
    assert "start:zh" in str(picker["reply_markup"]), "the notice and picker, sent anew"
    await bot.handled(emulator.press(user, "start:zh", message=None))
    area, _invitation = emulator.chat(user["id"])[-2:]
    assert area["text"] == dialogue.menus.area_menu("zh").text
    assert area["message_id"] != picker["message_id"]
    assert emulator.errors == []
