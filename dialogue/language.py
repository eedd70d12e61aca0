"""Which language a message is written in, combined with the language the user chose."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from content.places import gazetteer
from content.text import fold, words
from shared.vocabulary import LANGUAGES, TYPED_IN_LATIN

# Short Latin-script messages ("ok grazie", "questura") say little: keep the user's choice.
MIN_WORDS = 3
# Lingua's low-accuracy mode (trigrams only) needs a fraction of the full models' memory and,
# this sure, switches wrongly about as rarely (`make bench-language`, README).
MIN_CONFIDENCE = 0.9
# Our languages by the script they are written in; Latin is the rest.
SCRIPTS = {"ARABIC": ("ar", "ur"), "CYRILLIC": ("uk",), "BENGALI": ("bn",), "CJK": ("zh",)}
LATIN_LANGUAGES = ("it", "en", "fr", "sq", "es")
# Letters an Urdu keyboard types where an Arabic one types others (ی ک ہ), or Arabic lacks; and
# Arabic's own. Counting them tells the two apart better than lingua did on the seed questions
# (`make bench-language`), without lingua's models for the two.
URDU_LETTERS = frozenset("ٹڈڑںےۓھہۃیکگپچژ")
ARABIC_LETTERS = frozenset("ةىيكهأإ")
# Italian words of daily administration that people keep inside their own language; they say
# nothing about the language a person reads best.
ITALIAN_TERMS = re.compile(
    r"\b(permess[oi]( di soggiorno)?|soggiorno|questura|prefettura|tessera sanitaria|"
    r"codice fiscale|carta d.identit[aà]|cpia|comune|anagrafe|residenza|patronato|caritas|"
    r"ricevuta|sportello( amico)?|kit|poste|isee|assegno unico|pronto soccorso|"
    r"medico di base|consultorio|centro per l.impiego|busta paga|naspi|contratto|inps|"
    r"corso di italiano|italiano|ufficio immigrazione|asl|ast|ats|sai)\b"
)


# Urdu and Bengali typed in Latin letters read to lingua as English or French: for their users,
# Latin letters alone never switch the language. Arabic users write English or French too, so
# for them only Arabizi keeps Arabic: digits standing for letters inside words ("nt3alem").
ROMANISED = tuple(code for code in TYPED_IN_LATIN if code != "ar")
ARABIZI = re.compile(r"\b[a-z]+[235679][a-z0-9]*\b|\b[235679][a-z]+\b", re.IGNORECASE)


def _code(language: Language) -> str:
    return str(language.iso_code_639_1.name).lower()


def arabic_or_urdu(text: str) -> str:
    """Urdu when its letters outnumber Arabic's, else Arabic."""
    urdu = sum(ch in URDU_LETTERS for ch in text)
    return "ur" if urdu > sum(ch in ARABIC_LETTERS for ch in text) else "ar"


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return next((script for script in SCRIPTS if name.startswith(script)), "LATIN")


class LanguageDetector:
    """Lingua for our Latin-script languages (the script tells the others); models ship inside."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        self.languages = languages
        # Only the languages lingua has to tell apart, in low-accuracy mode (see MIN_CONFIDENCE).
        iso = [IsoCode639_1.from_str(code) for code in languages if code in LATIN_LANGUAGES]
        self.detector = (
            LanguageDetectorBuilder.from_iso_codes_639_1(*iso)
            .with_preloaded_language_models()
            .with_low_accuracy_mode()
            .build()
        )

    def detect(self, text: str, among: tuple[str, ...] | None = None) -> tuple[str, float] | None:
        """The likeliest Latin-script language of `text` (optionally among some), and how sure."""
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
            return arabic_or_urdu(text)  # the one script two of our languages share
        if user_language in ROMANISED or (user_language == "ar" and ARABIZI.search(text)):
            return user_language  # Roman Urdu, Banglish, Arabizi: not English or French
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
