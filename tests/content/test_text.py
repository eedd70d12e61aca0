"""Cleaning and splitting text works for every script we serve."""

from __future__ import annotations

from content.text import clean, fold, has_letters, word_count, words


def test_clean_drops_invisible_and_control_characters() -> None:
    assert clean("\u200fمرحبا\u202a abc\x00\x07 \u2066x\u2069\n\n") == "مرحبا abc x"


def test_fold_removes_accents_and_case() -> None:
    assert fold("Perché CITTÀ") == "perche citta"


def test_bengali_vowel_signs_stay_inside_words() -> None:
    assert list(words("মেডিকেল কার্ড")) == ["মেডিকেল", "কার্ড"]


def test_chinese_run_is_one_word() -> None:
    assert list(words("如何续签居留许可？")) == ["如何续签居留许可"]


def test_emoji_only_has_no_letters() -> None:
    assert not has_letters("🙏🙏🔥 !!")
    assert has_letters("112")


def test_word_count_reads_chinese_by_pairs_of_characters() -> None:
    assert word_count("Vai alla Questura di Ancona, 2 foto.") == 7
    assert word_count("去警察局办理居留") == 4
    assert word_count("আমি কাজ চাই") == 3
