"""Kinds of office as people name them (questura, كويستورا, 就业中心): the one named comes first.

A kind is one of `shared.vocabulary.OFFICE_KINDS`, as each office of `seed/services.yaml` names it.
The names of each kind, in all ten languages, are in `seed/offices.yaml`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import yaml

from content.text import Names, words
from storage.content import Service

SEED_OFFICES = Path(__file__).parent / "seed" / "offices.yaml"


def _normal(text: str) -> str:
    """Folded words only, so "centro per l’impiego" and "Centro per l'Impiego" are one name."""
    return " ".join(words(text))


class OfficeKinds:
    """Finds the kind of office a message names."""

    def __init__(self, kinds: dict[str, list[str]]) -> None:
        self.kinds = {kind: names[0] for kind, names in kinds.items() if names}
        self.index = Names(
            {_normal(name): kind for kind, names in kinds.items() for name in names}
        )

    def named(self, text: str) -> str | None:
        """The kind of office `text` names, if any."""
        return self.index.find(_normal(text))

    def known(self, kind: str) -> bool:
        """Whether `kind` is one of the kinds (for kinds that come back in a button)."""
        return kind in self.kinds

    def name(self, kind: str) -> str:
        """How a kind is called: its first name in the seed (the Italian one)."""
        return self.kinds.get(kind, kind)


def named_first(
    services: Sequence[Service], kind: str | None
) -> tuple[list[Service], list[Service]]:
    """The offices of the kind named, and the others, each in their order."""
    named = [s for s in services if kind is not None and s.kind == kind]
    return named, [s for s in services if s not in named]


@lru_cache(maxsize=1)
def office_kinds() -> OfficeKinds:
    """The process-wide office kinds from the seed."""
    return OfficeKinds(yaml.safe_load(SEED_OFFICES.read_text(encoding="utf-8")) or {})
