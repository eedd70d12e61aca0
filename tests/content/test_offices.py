"""The kind of office a message names, in any language, whoever types the Italian word."""

from __future__ import annotations

import pytest
import yaml

from content.loader import SEED_DIR
from content.offices import SEED_OFFICES, office_kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("dove si trova la questura di Ascoli?", "questura_"),
        ("where is the Questura in Fermo", "questura_"),
        ("أين الكويستورا في أنكونا؟", "questura_"),
        ("费尔莫的警察局在哪里？", "questura_"),
        ("où est la préfecture de police de Macerata ?", "questura_"),
        ("où est la préfecture de Macerata ?", "prefettura_"),
        ("Centro per l’Impiego di Fermo", "cpi_"),  # a typographic apostrophe
        ("iscrizione al CPIA", "cpia_"),
        ("c'è un consultorio a Jesi?", "ast_"),
        ("কোয়েস্তুরায় কখন যাব?", "questura_"),
        ("квестуру у Фермо", "questura_"),
        ("come rinnovo il permesso?", None),
        ("la pasta è buona", None),
    ],
)
def test_named_kind(text: str, kind: str | None) -> None:
    assert office_kinds().named(text) == kind


def test_every_kind_types_some_offices() -> None:
    slugs = [row["slug"] for row in yaml.safe_load((SEED_DIR / "services.yaml").read_text())]
    kinds = yaml.safe_load(SEED_OFFICES.read_text(encoding="utf-8"))
    assert {kind for kind in kinds if not any(s.startswith(kind) for s in slugs)} == set()
