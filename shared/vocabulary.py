"""The domain's lists, defined once: languages, provinces, categories and the menus' order."""

from __future__ import annotations

LANGUAGES = ("it", "en", "fr", "ar", "sq", "uk", "zh", "ur", "bn", "es")
# Languages many people type in Latin letters on a phone (Roman Urdu, Banglish, Arabizi).
TYPED_IN_LATIN = ("ur", "bn", "ar")
PROVINCE_NAMES = {
    "AN": "Ancona",
    "AP": "Ascoli Piceno",
    "FM": "Fermo",
    "MC": "Macerata",
    "PU": "Pesaro e Urbino",
}
PROVINCES = tuple(PROVINCE_NAMES)
# The other provinces by the distance between chief towns, nearest first: where to look when a
# province has no office for a topic.
NEAREST = {
    "AN": ("MC", "PU", "FM", "AP"),
    "AP": ("FM", "MC", "AN", "PU"),
    "FM": ("MC", "AP", "AN", "PU"),
    "MC": ("FM", "AN", "AP", "PU"),
    "PU": ("AN", "MC", "FM", "AP"),
}
CATEGORIES = (
    "language_courses",
    "housing",
    "residence_permit",
    "health",
    "work",
    "education",
    "legal_aid",
    "social_services",
    "events",
    "emergency",
)
# Topics a person turns to an office in their own province for: all but the national emergency
# numbers and events (dated, not offices). Each should have one in every province.
OFFICE_CATEGORIES = tuple(key for key in CATEGORIES if key not in ("events", "emergency"))
# Kinds of office, so an FAQ can name the ones that serve its question (a child's school enrolment:
# the Comune's school office and the schools; a night without a roof: shelters before SAI).
OFFICE_KINDS = (
    "emergency_line",
    "anti_violence_centre",
    "shelter",
    "caritas",
    "social_services",
    "reception",
    "public_housing",
    "questura",
    "prefettura",
    "job_centre",
    "health",
    "cpia",
    "school_office",
    "school",
    "university",
    "study_grants",
    "bar_association",
    "region",
    "community",
)
# What the model sets apart as a topic the content does not cover.
OUT_OF_SCOPE = "out_of_scope"
# A short question with no topic of its own ("how much?"): read with the FAQ answered last.
FOLLOW_UP_INTENT = "follow_up"
# Conversational intents whose reply is a courtesy or a way on (the menu, a person), never a fact
# someone acts on: answered from a lower confidence than content (`nlu.courtesy_confidence`).
COURTESIES = ("greeting", "goodbye", "thanks", "help", "human")
CONVERSATION = (*COURTESIES, FOLLOW_UP_INTENT, OUT_OF_SCOPE)
# The main menu has a button of its own for these; the Services menu lists the others, in order.
MAIN_MENU = ("language_courses", "housing", "events")
SERVICE_MENU = tuple(key for key in CATEGORIES if key not in MAIN_MENU)
