"""A follow-up naming only a place is told apart from a question of its own, in every language."""

from __future__ import annotations

import pytest

from content.places import gazetteer
from dialogue.followup import only_place


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("e a Macerata?", "MC"),
        ("E invece in provincia di Ascoli?", "AP"),
        ("and in Fermo?", "FM"),
        ("what about San Benedetto del Tronto?", "AP"),
        ("et à Pesaro ?", "PU"),
        ("وفي فيرمو؟", "FM"),
        ("وبفيرمو؟", "FM"),  # the particle written onto the name
        ("po në Fermo?", "FM"),
        ("а у Фермо?", "FM"),
        ("那在马切拉塔呢？", "MC"),
        ("اور فرمو میں؟", "FM"),
        ("আর আনকোনাতে?", "AN"),  # the Bengali ending on the name
        ("¿y en Ancona?", "AN"),
    ],
)
def test_only_a_place(text: str, province: str) -> None:
    place = only_place(text, gazetteer())
    assert place is not None and place.province == province


@pytest.mark.parametrize(
    "text",
    [
        "questura Fermo",
        "I want to learn Italian in Fermo",
        "e la questura a Fermo?",
        "在费尔莫学意大利语",
        "أريد طبيباً في فيرمو",
        "and in?",
        "grazie",
    ],
)
def test_a_question_of_its_own(text: str) -> None:
    assert only_place(text, gazetteer()) is None
