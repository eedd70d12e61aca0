"""Texts per language with a status: what users read, what the tabs show, when one is outdated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from content.texts import each_status, published, touch

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TUESDAY = MONDAY + timedelta(days=1)
LANGUAGES = ("it", "ar", "bn", "ur")


def test_only_published_texts_are_read_and_no_status_is_published() -> None:
    written = {"it": "Ciao", "ar": "مرحبا", "bn": ""}
    assert published(written, {"ar": "draft"}) == {"it": "Ciao"}
    assert published(written, {}) == {"it": "Ciao", "ar": "مرحبا"}, "a blank text is not read"


def test_a_revised_italian_text_outdates_the_translations_written_before() -> None:
    first = {"it": "Festa", "ar": "حفلة"}
    changed = touch({}, {}, first, MONDAY)
    assert changed == {"ar": MONDAY.isoformat()}, "a first Italian text outdates nothing"
    assert each_status(first, {}, changed, LANGUAGES) == {
        "it": "published",
        "ar": "published",
        "bn": "missing",
        "ur": "missing",
    }
    revised = {**first, "it": "Festa dei popoli", "bn": "উৎসব"}
    changed = touch(changed, first, revised, TUESDAY)
    shown = each_status(revised, {"bn": "draft"}, changed, LANGUAGES)
    assert shown == {"it": "published", "ar": "outdated", "bn": "draft", "ur": "missing"}
    again = {**revised, "ar": "حفلة الشعوب"}
    changed = touch(changed, revised, again, TUESDAY + timedelta(hours=1))
    assert each_status(again, {}, changed, LANGUAGES)["ar"] == "published"
    assert "ar" not in touch(changed, again, {"it": "Festa"}, TUESDAY), "a removed text"
