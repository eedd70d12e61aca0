"""A user who floods the bot is told once to slow down; other users are not affected; the
window in memory moves with each message, the one in the database turns with the minute."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import BotApplication
from bot.flood import MovingWindow, SharedWindow
from dialogue.core import Dialogue
from shared.i18n import translations
from shared.settings import TelegramSettings
from storage.coordination import RateCount
from testbed.botapi import BotApiEmulator
from tests.support.telegram import polling


async def test_more_than_the_limit_gets_one_polite_reply(
    emulator: BotApiEmulator, make_bot: Callable[..., BotApplication], dialogue: Dialogue
) -> None:
    flooder, other = emulator.user(4000, "fr"), emulator.user(4001, "es")
    async with polling(make_bot(telegram=TelegramSettings(flood_messages_per_minute=3))) as bot:
        for _ in range(3):
            await bot.handled(emulator.send_text(flooder, "/menu"))
        for _ in range(4):
            emulator.send_text(flooder, "/menu")
        # Updates are handled in order: once the other user's is done, the flood is too.
        await bot.handled(emulator.send_text(other, "/menu"))
    menu = dialogue.menus.main_menu("fr").text
    slow_down = translations("fr").gettext(
        "You are writing very fast. Please wait a minute, then write again."
    )
    assert [m["text"] for m in emulator.chat(flooder["id"])] == [menu] * 3 + [slow_down]
    assert [m["text"] for m in emulator.chat(other["id"])] == [dialogue.menus.main_menu("es").text]
    assert emulator.errors == []


def test_the_window_moves_with_each_message() -> None:
    now = [0.0]
    window = MovingWindow(3, 60, clock=lambda: now[0])
    for at in (0.0, 30.0, 59.0):
        now[0] = at
        assert window.hit("user")
    assert not window.hit("user"), "a fourth message within the minute is one too many"
    assert window.hit("other user"), "others are counted apart"
    now[0] = 60.0
    assert window.hit("user"), "the message of second 0 has left the window"
    now[0] = 61.0
    assert not window.hit("user"), "those of seconds 30, 59 and 60 are still in it"
    now[0] = 200.0
    assert window.hit("user") and window.hit("user") and window.hit("user")


def test_the_shared_window_resets_each_period_and_forgets_the_old(
    sessions: sessionmaker[Session],
) -> None:
    now = [0.0]
    window = SharedWindow(sessions, "flood", 2, 60, clock=lambda: now[0])
    assert window.hit(7) and window.hit(7)
    assert not window.hit(7), "a third within the minute"
    assert SharedWindow(sessions, "flood", 2, 60, clock=lambda: now[0]).hit(8), "others apart"
    now[0] = 61.0
    assert window.hit(7), "a new minute"
    with sessions() as session:
        kept = session.execute(select(RateCount.key, RateCount.period)).all()
    assert sorted(kept) == [(7, 1)], "the past minute's counts are gone"
