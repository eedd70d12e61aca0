"""Names of the bot's routes as mediators read them: categories and conversational intents."""

from __future__ import annotations

from admin import i18n
from admin.i18n import N_
from dialogue.labels import category_label
from shared.vocabulary import CATEGORIES, FOLLOW_UP_INTENT, OUT_OF_SCOPE

# What the bot understood when it was not a topic: greetings, a person, nothing it covers.
CONVERSATIONAL = {
    "greeting": N_("Greeting"),
    "goodbye": N_("Goodbye"),
    "thanks": N_("Thanks"),
    "help": N_("Asks how to use the bot"),
    "human": N_("Asks for a person"),
    FOLLOW_UP_INTENT: N_("A follow-up with no topic of its own"),
    OUT_OF_SCOPE: N_("Not covered by the bot"),
    "none": N_("Not understood"),
}


def route_label(key: str, language: str) -> str:
    """A category or conversational key in the interface language; unknown keys as they are."""
    if key in CATEGORIES:
        return category_label(key, language)
    if key in CONVERSATIONAL:
        return i18n.translations(language).gettext(CONVERSATIONAL[key])
    return key
