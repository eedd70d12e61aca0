"""Training data generated from the content base: every FAQ and intent, no place names."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from nlu import runtime
from nlu.training_data import write_training_data
from shared.settings import Settings
from shared.vocabulary import CATEGORIES, CONVERSATION
from storage.content import Faq


def test_every_faq_and_intent_is_a_label(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    with seeded() as session:
        paths = write_training_data(session, tmp_path)
        slugs = set(session.scalars(select(Faq.slug)))
    nlu = yaml.safe_load(paths[0].read_text(encoding="utf-8"))["nlu"]
    labels = {entry["intent"] for entry in nlu if "intent" in entry}
    assert labels == {f"faq/{s}" for s in slugs} | set(CATEGORIES) | set(CONVERSATION)
    examples = "".join(entry["examples"] for entry in nlu)
    assert "macerata" not in examples.casefold() and "安科纳" not in examples
    for entry in nlu:
        if "intent" in entry:
            assert entry["examples"].count("\n- ") + 1 >= 6, entry["intent"]


def test_rasa_validates_the_generated_data(settings: Settings, rasa_model: Path) -> None:
    runtime.validate(settings)  # raises if `rasa data validate` reports an error
    assert rasa_model.exists()
