"""The kind of office a message names, in any language, whoever types the Italian word."""

from __future__ import annotations

import pytest
import yaml

from content.loader import SEED_DIR
from content.offices import SEED_OFFICES, office_kinds
from shared.vocabulary import OFFICE_KINDS


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("dove si trova la questura di Ascoli?", "questura"),
        ("where is the Questura in Fermo", "questura"),
        ("أين الكويستورا في أنكونا؟", "questura"),
        ("费尔莫的警察局在哪里？", "questura"),
        ("où est la préfecture de police de Macerata ?", "questura"),
        ("où est la préfecture de Macerata ?", "prefettura"),
        ("Centro per l’Impiego di Fermo", "job_centre"),  # a typographic apostrophe
        ("iscrizione al CPIA", "cpia"),
        ("c'è un consultorio a Jesi?", "health"),
        ("কোয়েস্তুরায় কখন যাব?", "questura"),
        ("квестуру у Фермо", "questura"),
        ("come rinnovo il permesso?", None),
        ("la pasta è buona", None),
    ],
)
def test_named_kind(text: str, kind: str | None) -> None:
    assert office_kinds().named(text) == kind


def test_every_named_kind_is_a_kind_of_some_offices() -> None:
    services = yaml.safe_load((SEED_DIR / "services.yaml").read_text(encoding="utf-8"))
    kinds = yaml.safe_load(SEED_OFFICES.read_text(encoding="utf-8"))
    assert set(kinds) <= set(OFFICE_KINDS)
    assert set(kinds) - {row["kind"] for row in services} == set()


def test_every_office_has_a_kind() -> None:
    services = yaml.safe_load((SEED_DIR / "services.yaml").read_text(encoding="utf-8"))
    assert [row["slug"] for row in services if row.get("kind") not in OFFICE_KINDS] == []
