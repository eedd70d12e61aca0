"""Which language a message is written in, combined with the language the user chose."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from content.places import gazetteer
from content.text import fold, words
from primm.settings import LANGUAGES

# Short Latin-script messages ("ok grazie", "questura") say little: keep the user's choice.
MIN_WORDS = 3
MIN_CONFIDENCE = 0.6
# Our languages by the script they are written in; Latin is the rest.
SCRIPTS = {"ARABIC": ("ar", "ur"), "CYRILLIC": ("uk",), "BENGALI": ("bn",), "CJK": ("zh",)}
LATIN_LANGUAGES = ("it", "en", "fr", "sq", "es")
# Italian words of daily administration that people keep inside their own language; they say
# nothing about the language a person reads best.
ITALIAN_TERMS = re.compile(
    r"\b(permess[oi]( di soggiorno)?|soggiorno|questura|prefettura|tessera sanitaria|"
    r"codice fiscale|carta d.identit[aà]|cpia|comune|anagrafe|residenza|patronato|caritas|"
    r"ricevuta|sportello( amico)?|kit|poste|isee|assegno unico|pronto soccorso|"
    r"medico di base|consultorio|centro per l.impiego|busta paga|naspi|contratto|inps|"
    r"corso di italiano|italiano|ufficio immigrazione|asl|ast|ats|sai)\b"
)


def _code(language: Language) -> str:
    return str(language.iso_code_639_1.name).lower()


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return next((script for script in SCRIPTS if name.startswith(script)), "LATIN")


class LanguageDetector:
    """Lingua restricted to our ten languages; its models ship inside the package."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        self.languages = languages
        iso = [IsoCode639_1.from_str(code) for code in languages]
        self.detector = (
            LanguageDetectorBuilder.from_iso_codes_639_1(*iso)
            .with_preloaded_language_models()
            .build()
        )

    def detect(self, text: str, among: tuple[str, ...] | None = None) -> tuple[str, float] | None:
        """Most likely language of `text` (optionally among some codes) and its confidence."""
        for value in self.detector.compute_language_confidence_values(text):
            code = _code(value.language)
            if among is None or code in among:
                return code, value.value
        return None

    def choose(self, text: str, user_language: str) -> str:
        """The message's language when the text shows it clearly, else the user's language."""
        scripts = Counter(_script(ch) for ch in text if unicodedata.category(ch)[0] == "L")
        if not scripts:
            return user_language
        # Italian terms are Latin: any real share of another script names the language.
        script, count = next(
            ((s, n) for s, n in scripts.most_common() if s != "LATIN"), ("LATIN", 0)
        )
        if script != "LATIN" and count * 5 >= scripts.total():
            candidates = SCRIPTS[script]
            if len(candidates) == 1 or user_language in candidates:
                return user_language if user_language in candidates else candidates[0]
            own = "".join(ch for ch in text if _script(ch) == script or ch.isspace())
            detected = self.detect(own, among=candidates)
            return detected[0] if detected else candidates[0]
        names = gazetteer().names
        remainder = " ".join(
            word
            for word in ITALIAN_TERMS.sub(" ", text.casefold()).split()
            if fold(word) not in names
        )
        if len(list(words(remainder))) < MIN_WORDS:
            return user_language
        detected = self.detect(remainder, among=LATIN_LANGUAGES)
        if detected is None or detected[1] < MIN_CONFIDENCE:
            return user_language
        return detected[0]
