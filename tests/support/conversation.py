"""One user's conversation with the dialogue core, as a front end holds it between turns."""

from __future__ import annotations

from dialogue.core import Dialogue, Turn
from storage.users import UserState

# A chat that never agreed to the notice: its questions are counted, nothing about it is kept.
NEW_CHAT = 777


class Talk:
    """Each turn's new state is the next turn's: the core never changes the state it is given."""

    def __init__(self, dialogue: Dialogue, state: UserState) -> None:
        self.dialogue = dialogue
        self.state = state

    async def text(self, text: object) -> Turn:
        """A message."""
        return self._kept(await self.dialogue.handle_text(self.state, text))

    async def button(self, payload: str) -> Turn:
        """A button press."""
        return self._kept(await self.dialogue.handle_button(self.state, payload))

    def _kept(self, turn: Turn) -> Turn:
        self.state = turn.state or self.state
        return turn
