"""The admin interface's own gettext domain (Italian and English), apart from the bot's."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from babel.support import NullTranslations, Translations

from shared.i18n import LOCALES_DIR

DOMAIN = "admin"
LANGUAGES = ("it", "en")
DEFAULT = "it"
Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a string for the catalog where it is defined; it is translated where it is shown."""
    return message


@cache
def translations(language: str) -> NullTranslations:
    """Compiled admin catalog for a language (English source strings if never compiled)."""
    return Translations.load(str(LOCALES_DIR), [language], DOMAIN)


def pick(cookie: str | None, accept_language: str) -> str:
    """The interface language: the person's choice, else the browser's, else Italian."""
    if cookie in LANGUAGES:
        return cookie
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT
