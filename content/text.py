"""Script-neutral text handling: cleaning, folding and splitting words in all ten languages."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

# Direction marks, isolates and zero-width characters people paste in without seeing them.
_INVISIBLE = dict.fromkeys(
    [
        0x200B,
        0x200C,
        0x200D,
        0x200E,
        0x200F,
        0x2060,
        0xFEFF,
        0x061C,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ],
    None,
)
# Diacritics people often leave out: Latin accents and Arabic short-vowel marks.
_FOLDED_MARKS = set(range(0x0300, 0x0370)) | set(range(0x064B, 0x0660)) | {0x0670}


def clean(text: str) -> str:
    """Drop control and invisible direction characters and collapse whitespace."""
    text = text.translate(_INVISIBLE)
    kept = (
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch.isspace() else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn") or ch.isspace()
    )
    return " ".join("".join(kept).split())


def fold(text: str) -> str:
    """Lower-case and strip the diacritics people often omit when typing on a phone."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if ord(ch) not in _FOLDED_MARKS)
    return unicodedata.normalize("NFKC", stripped)


def _is_word_char(ch: str) -> bool:
    # Letters, marks and digits: marks matter, Bengali and Urdu vowels are combining marks.
    return unicodedata.category(ch)[0] in "LMN"


def words(text: str) -> Iterator[str]:
    """Split folded text into words; a run of Han characters is one word (no spaces in Chinese)."""
    current: list[str] = []
    for ch in fold(text):
        if _is_word_char(ch):
            current.append(ch)
        elif current:
            yield "".join(current)
            current = []
    if current:
        yield "".join(current)


def has_letters(text: str) -> bool:
    """Whether a message holds anything but emoji, symbols and punctuation."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
