"""Follow-ups: a message naming only a place ("and in Fermo?", "e a Macerata?", "وفي فيرمو؟") asks
the previous topic again, for that place; any word but connectors makes it a question of its own.
A short message near covered content that the bot is not sure of alone ("in the evening?") is
read with the question answered last."""

from __future__ import annotations

from content.places import CONNECTOR_WORDS, CONNECTORS, Gazetteer, Place
from content.text import fold, word_count, words

# Longer than this, a message says enough to be a question of its own.
FOLLOW_UP_WORDS = 8
# Chinese is written without spaces: a run of these characters is connectors only.
_HAN = frozenset("".join(CONNECTORS["zh"].split()))


def _connector(word: str) -> bool:
    return word in CONNECTOR_WORDS or set(word) <= _HAN


def only_place(text: str, places: Gazetteer) -> Place | None:
    """The place a message names when the rest of it is only connector words."""
    folded = fold(text)
    found = places.locate(folded)
    place = None
    if found is not None:
        place, start, end = found
        folded = f"{folded[:start]} {folded[end:]}"
    for word in words(folded):
        if _connector(word):
            continue
        glued = places.glued(word)
        if glued is None:
            return None
        place = place or glued
    return place


def continues(text: str, last_faq: str | None) -> bool:
    """Whether a message may continue the FAQ answered last: short enough to lean on it."""
    return last_faq is not None and word_count(text) <= FOLLOW_UP_WORDS
