"""Every string the bot says is translated, unfuzzy, in all ten languages, and formats right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from shared.i18n import LOCALES_DIR, NATIVE_NAMES, language_name, translations
from shared.settings import ROOT
from shared.vocabulary import LANGUAGES

# The admin tool has its own domain (tests/admin/test_i18n.py).
SOURCES = ("primm", "dialogue", "content", "nlu", "bot", "broadcast")
PLACEHOLDER = re.compile(r"\{\w+\}")


def source_messages() -> set[str]:
    found: set[str] = set()
    for directory in SOURCES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / directory), method_map=[("**.py", "python")]
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(language: str) -> dict[str, tuple[str, bool]]:
    path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    with Path(path).open("rb") as handle:
        po = read_po(handle)
    return {m.id: (m.string, m.fuzzy) for m in po if m.id and isinstance(m.id, str)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete_and_current(language: str) -> None:
    entries = catalog(language)
    assert set(entries) == source_messages(), "run `make extract` and translate the changes"
    for msgid, (text, fuzzy) in entries.items():
        assert text and not fuzzy, f"{language}: {msgid!r} is empty or fuzzy"
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(msgid)), msgid


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_compiled_catalog_is_used(language: str) -> None:
    assert translations(language).gettext("Talk to a person") != "Talk to a person"


def test_language_names_in_each_language() -> None:
    assert language_name("en", "it") == "inglese"
    assert language_name("ar", "fr") == "arabe"
    assert set(NATIVE_NAMES) == set(LANGUAGES)
