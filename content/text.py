"""Script-neutral text handling: cleaning, folding and splitting words in all ten languages."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

T = TypeVar("T")
# Latin letters, accented ones included: names, addresses and URLs inside any script.
LATIN = "A-Za-z\u00c0-\u024f"

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


def spans(folded: str) -> Iterator[tuple[int, int]]:
    """Where each word of a folded text starts and ends; a run of Han characters is one word."""
    start = None
    for index, ch in enumerate(folded):
        if _is_word_char(ch):
            start = index if start is None else start
        elif start is not None:
            yield start, index
            start = None
    if start is not None:
        yield start, len(folded)


def words(text: str) -> Iterator[str]:
    """Split folded text into words; a run of Han characters is one word (no spaces in Chinese)."""
    folded = fold(text)
    return (folded[start:end] for start, end in spans(folded))


def word_count(text: str) -> int:
    """Words a reader meets; Han runs count two characters a word, as Chinese words average."""
    return sum(-(-len(word) // 2) if _is_han(word) else 1 for word in words(text))


# What the user sees first of an answer: at most this many words, on at most this many lines.
SHORT_WORDS = 60
SHORT_LINES = 3


def fits_first_message(text: str) -> bool:
    """Whether a short answer is short enough for a person who reads poorly, on a phone."""
    lines = [line for line in text.splitlines() if line.strip()]
    return word_count(text) <= SHORT_WORDS and len(lines) <= SHORT_LINES


def has_letters(text: str) -> bool:
    """Whether a message holds anything but emoji, symbols and punctuation."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _is_han(name: str) -> bool:
    return all(unicodedata.name(ch, "").startswith("CJK") for ch in name if not ch.isspace())


def _word_char_at(text: str, index: int) -> bool:
    # Chinese has no spaces: "Macerata有" ends a Latin name where the Han characters start.
    return 0 <= index < len(text) and _is_word_char(text[index]) and not _is_han(text[index])


class Names(Generic[T]):
    """Names in any script and what each stands for, found in a text longest first."""

    def __init__(self, names: Mapping[str, T]) -> None:
        folded: dict[str, T] = {}
        for name, value in names.items():
            folded.setdefault(fold(name), value)
        self.names = dict(sorted(folded.items(), key=lambda item: -len(item[0])))

    def locate(self, text: str) -> tuple[T, int, int] | None:
        """What the longest name in `text` stands for, and where it is in `fold(text)`.

        Names in spaced scripts must be whole words; Chinese is written without spaces.
        """
        folded = fold(text)
        for name, value in self.names.items():
            start = folded.find(name)
            while start != -1:
                end = start + len(name)
                if _is_han(name) or (
                    not _word_char_at(folded, start - 1) and not _word_char_at(folded, end)
                ):
                    return value, start, end
                start = folded.find(name, start + 1)
        return None

    def find(self, text: str) -> T | None:
        """What the longest name in `text` stands for, if it names anything."""
        found = self.locate(text)
        return found[0] if found else None
