"""In-memory stand-ins for the NLU server, implementing the same Protocol as the real client."""

from __future__ import annotations

from content.places import gazetteer
from nlu.client import NluUnavailable, Parse
from nlu.wire import FALLBACK_INTENT


class FakeNlu:
    """Answers from a table of text -> Parse; anything else is Rasa's fallback.

    The table is keyed as the dialogue core sends a text: with its place names cut out.
    """

    def __init__(self, table: dict[str, Parse] | None = None, down: bool = False) -> None:
        self.table = {gazetteer().without(text): parse for text, parse in (table or {}).items()}
        self.down = down
        self.seen: list[str] = []

    async def parse(self, text: str) -> Parse:
        self.seen.append(text)
        if self.down:
            raise NluUnavailable("fake server is down")
        return self.table.get(text, Parse(FALLBACK_INTENT, 0.3, [(FALLBACK_INTENT, 0.3)]))
