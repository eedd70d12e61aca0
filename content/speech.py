"""What a voice note says: an answer's text made speakable for espeak-ng, in SSML.

espeak-ng reads "0734 123456" as one large number, which nobody can dial: phone numbers are
read digit by digit, with a pause where the written number has a space.
Its Arabic, Urdu, Bengali, Ukrainian and Mandarin voices read Latin letters as English words;
the Latin-script names in our answers are Italian (Questura, CPIA, Ancona), so each run of them
is read by the Italian voice and the text's own voice takes over again after it.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

from content.text import LATIN

# espeak-ng's voice for each of the bot's languages (Mandarin is `cmn` there).
VOICES = {
    "it": "it",
    "en": "en",
    "fr": "fr",
    "ar": "ar",
    "sq": "sq",
    "uk": "uk",
    "zh": "cmn",
    "ur": "ur",
    "bn": "bn",
    "es": "es",
}
# Languages not written in Latin letters: a Latin-script name inside them is an Italian one.
OTHER_SCRIPTS = frozenset({"ar", "uk", "zh", "ur", "bn"})
NAMES_VOICE = "it"
# Italian phone numbers: landlines start with 0, mobiles with 3, free numbers with 8, maybe
# after +39; at least six digits, groups split by spaces or dashes (never dots or slashes,
# which write dates).
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ -]?)?[038]\d(?:[ -]?\d){4,}(?!\w)")
# National short numbers, which Italians too say digit by digit ("uno uno due").
_SHORT_NUMBER = re.compile(r"(?<!\w)(?:112|113|114|115|118|1522)(?!\w)")
_URL = re.compile(r"https?://\S+")
_NAMES = re.compile(rf"[{LATIN}][{LATIN}'’.\-]*(?:[ ,]+[{LATIN}][{LATIN}'’.\-]*)*")


def _digit_by_digit(match: re.Match[str]) -> str:
    groups = re.split(r"[ -]+", match.group(0))
    return ", ".join(" ".join(group) for group in groups)


def without_symbols(text: str) -> str:
    """The text without emoji and other pictures (☎️ 📍 🕒), which a voice would name or skip."""
    return "".join(
        char for char in text if unicodedata.category(char) != "So" and char != "\ufe0f"
    )


def read_digits(text: str) -> str:
    """Phone numbers and short national numbers written so that each digit is read alone."""
    return _SHORT_NUMBER.sub(_digit_by_digit, _PHONE.sub(_digit_by_digit, text))


def ssml(text: str, language: str) -> str:
    """The text as espeak-ng reads it (`-m`): digits one by one, no web addresses or emoji; in
    languages of another script each run of Latin-script names read by the Italian voice."""
    spoken = read_digits(without_symbols(_URL.sub("", text)))
    if language not in OTHER_SCRIPTS:
        return f"<speak>{escape(spoken)}</speak>"
    parts, start = [], 0
    for name in _NAMES.finditer(spoken):
        parts.append(escape(spoken[start : name.start()]))
        parts.append(f'<voice xml:lang="{NAMES_VOICE}">{escape(name.group(0))}</voice>')
        start = name.end()
    parts.append(escape(spoken[start:]))
    return f"<speak>{''.join(parts)}</speak>"
