"""Gettext catalogs of everything the bot itself says, one per language, plus locale helpers."""

from __future__ import annotations

from functools import cache

from babel import Locale
from babel.support import NullTranslations, Translations

from shared.settings import ROOT

LOCALES_DIR = ROOT / "locales"
DOMAIN = "messages"
# Language names as their speakers write them: shown in the language picker.
NATIVE_NAMES = {
    "it": "Italiano",
    "en": "English",
    "fr": "Français",
    "ar": "العربية",
    "sq": "Shqip",
    "uk": "Українська",
    "zh": "中文",
    "ur": "اردو",
    "bn": "বাংলা",
    "es": "Español",
}
RTL = frozenset({"ar", "ur"})
# Babel locale for each of our language codes (Chinese is written in simplified characters).
BABEL_LOCALES = {"zh": "zh_Hans_CN", "ur": "ur_PK", "bn": "bn_BD", "sq": "sq_AL"}


@cache
def translations(language: str) -> NullTranslations:
    """Compiled catalog for a language (English source strings if it was never compiled)."""
    return Translations.load(str(LOCALES_DIR), [language], DOMAIN)


def locale(language: str) -> Locale:
    """Babel locale used to format dates and numbers for a language."""
    return Locale.parse(BABEL_LOCALES.get(language, language))


def language_name(code: str, in_language: str) -> str:
    """The name of language `code` written in `in_language` (e.g. "inglese")."""
    return locale(code).get_language_name(locale(in_language)) or NATIVE_NAMES[code]
