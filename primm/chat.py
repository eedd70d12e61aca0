"""`primm chat`: the bot in a terminal; type a number to press a button, /command for commands."""

from __future__ import annotations

import asyncio
import sys

from dialogue.chats import COMMANDS, Chats
from dialogue.core import Turn
from dialogue.payloads import ChooseLanguage, ShowMenu, encode
from shared.i18n import NATIVE_NAMES
from storage.users import TERMINAL, UserState

PROMPT = "› "


def render(turn: Turn) -> list[str]:
    """Print replies and number their buttons; returns the payloads in display order."""
    payloads: list[str] = []
    for reply in turn.replies:
        # A terminal plays no sound: it shows where the voice note is, to open with a player.
        print(f"\n🔊 {reply.voice.path}" if reply.voice else f"\n{reply.text}")
        for button in reply.buttons:
            payloads.append(button.payload)
            print(f"  [{len(payloads)}] {button.label}")
    print()
    return payloads


async def chat(chats: Chats, language: str) -> None:
    """Read lines until end of input or /quit; numbers press the last buttons shown."""
    state = UserState(language=language)
    print(f"PRIMM bot – {NATIVE_NAMES[language]}. /lang xx, /{', /'.join(COMMANDS)}, /quit")
    payloads = render(await chats.button(TERMINAL, state, encode(ShowMenu())))
    while True:
        try:
            line = await asyncio.to_thread(input, PROMPT)
        except (EOFError, KeyboardInterrupt):
            print()
            return
        line = line.strip()
        name, _, args = line.partition(" ")
        if line in ("/quit", "/exit"):
            return
        if name == "/lang":
            turn = await chats.button(TERMINAL, state, encode(ChooseLanguage(args.strip())))
        elif name.removeprefix("/") in COMMANDS and name.startswith("/"):
            turn = await chats.command(TERMINAL, state, name.removeprefix("/"), args)
        elif line.isdigit() and 1 <= int(line) <= len(payloads):
            turn = await chats.button(TERMINAL, state, payloads[int(line) - 1])
        else:
            turn = await chats.text(TERMINAL, state, line)
        state = turn.state or state
        payloads = render(turn)
        sys.stdout.flush()
