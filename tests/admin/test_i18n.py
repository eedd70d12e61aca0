"""Every string of the admin interface is translated, unfuzzy, in Italian and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from admin import i18n
from shared.i18n import LOCALES_DIR
from shared.settings import ROOT

PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]


def source_messages() -> set[str]:
    return {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "admin"), method_map=METHODS
        )
    }


def catalog(language: str) -> dict[str, tuple[str, bool]]:
    with Path(LOCALES_DIR / language / "LC_MESSAGES" / "admin.po").open("rb") as handle:
        po = read_po(handle)
    return {m.id: (m.string, m.fuzzy) for m in po if m.id and isinstance(m.id, str)}


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_admin_catalog_is_complete_and_current(language: str) -> None:
    entries = catalog(language)
    assert set(entries) == source_messages(), "run `make extract` and translate the changes"
    for msgid, (text, fuzzy) in entries.items():
        assert text and not fuzzy, f"{language}: {msgid!r} is empty or fuzzy"
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(msgid)), msgid


def test_admin_strings_stay_out_of_the_bot_catalog() -> None:
    bot_catalog = (LOCALES_DIR / "messages.pot").read_text(encoding="utf-8")
    assert 'msgid "Translation coverage"' not in bot_catalog


def test_compiled_italian_catalog_is_used() -> None:
    assert i18n.translations("it").gettext("Log in") == "Accedi"


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [("en", "it-IT", "en"), (None, "en-GB,en;q=0.9", "en"), (None, "ar", "it"), ("xx", "", "it")],
)
def test_interface_language_choice(cookie: str | None, accept: str, expected: str) -> None:
    assert i18n.pick(cookie, accept) == expected
