"""`primm chat`: the dialogue core in a terminal; type a number to press a button."""

from __future__ import annotations

import asyncio
import sys

from dialogue.core import Dialogue, Turn, UserState
from dialogue.payloads import ChooseLanguage, encode
from shared.i18n import NATIVE_NAMES

PROMPT = "› "


def render(turn: Turn) -> list[str]:
    """Print replies and number their buttons; returns the payloads in display order."""
    payloads: list[str] = []
    for reply in turn.replies:
        print(f"\n{reply.text}")
        for button in reply.buttons:
            payloads.append(button.payload)
            print(f"  [{len(payloads)}] {button.label}")
    print()
    return payloads


async def chat(dialogue: Dialogue, language: str) -> None:
    """Read lines until end of input or /quit; numbers press the last buttons shown."""
    state = UserState(language=language)
    print(f"PRIMM bot – {NATIVE_NAMES[language]}. /lang xx, /menu, /quit")
    payloads = render(await dialogue.handle_button(state, "menu"))
    while True:
        try:
            line = await asyncio.to_thread(input, PROMPT)
        except (EOFError, KeyboardInterrupt):
            print()
            return
        line = line.strip()
        if line in ("/quit", "/exit"):
            return
        if line.startswith("/lang "):
            turn = await dialogue.handle_button(state, encode(ChooseLanguage(line.split()[1])))
        elif line == "/menu":
            turn = await dialogue.handle_button(state, "menu")
        elif line.isdigit() and 1 <= int(line) <= len(payloads):
            turn = await dialogue.handle_button(state, payloads[int(line) - 1])
        else:
            turn = await dialogue.handle_text(state, line)
        payloads = render(turn)
        sys.stdout.flush()
