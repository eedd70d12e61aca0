"""Messages from people in danger, per class, and the numbers each class must see first.

`seed/risks.yaml` holds them: for each class the emergency services to show (by slug, the phones
come from the content base), the FAQs about that danger (neither danger nor safe when training),
and examples per language and script; `safe` holds routine questions that share words with
danger. The check that reads them is `nlu/risk.py`; its held-out test is `bench/risk.py`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from shared.vocabulary import LANGUAGES, TYPED_IN_LATIN

SEED_RISKS = Path(__file__).parent / "seed" / "risks.yaml"
LATIN_SCRIPTS = tuple(f"{code}-Latn" for code in TYPED_IN_LATIN)
VARIANTS = (*LANGUAGES, *LATIN_SCRIPTS)


def _every_variant(value: dict[str, list[str]]) -> dict[str, list[str]]:
    missing = [key for key in VARIANTS if not value.get(key)]
    unknown = [key for key in value if key not in VARIANTS]
    if missing or unknown:
        raise ValueError(f"languages missing {missing}, unknown {unknown}")
    return value


class RiskClass(BaseModel):
    """One kind of danger: whom to call, the FAQs about it, and how people write it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    message: dict[str, str]  # the first line of the reply, per language
    numbers: list[str]  # emergency services' slugs, in the order they are shown
    faqs: list[str] = []
    examples: dict[str, list[str]]

    _examples = field_validator("examples")(_every_variant)

    @field_validator("message")
    @classmethod
    def _every_language(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [language for language in LANGUAGES if not value.get(language)]
        if missing:
            raise ValueError(f"message missing in {missing}")
        return value


class Risks(BaseModel):
    """The classes of danger, in order of precedence, and routine look-alikes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    classes: dict[str, RiskClass]
    safe: dict[str, list[str]]

    _safe = field_validator("safe")(_every_variant)

    def adjacent_faqs(self) -> set[str]:
        """FAQs about a danger: their questions are neither taught as danger nor as safe."""
        return {slug for risk in self.classes.values() for slug in risk.faqs}


@lru_cache
def risks(path: Path = SEED_RISKS) -> Risks:
    """The risk classes of the seed (read once per process)."""
    return Risks.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
