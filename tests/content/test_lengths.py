"""The first message of an answer: short enough for a person who reads poorly, in each language."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker

from content.lengths import lengths, text
from content.loader import SEED_DIR, SeedError, load_seed
from content.text import SHORT_WORDS
from shared.vocabulary import LANGUAGES


def test_every_published_faq_has_a_short_text_within_the_limit(
    seeded: sessionmaker[Session],
) -> None:
    with seeded() as session:
        rows = lengths(session, list(LANGUAGES))
    assert {row.language for row in rows} == set(LANGUAGES)
    for row in rows:
        assert row.without_short == [], f"{row.language}: no short text for {row.without_short}"
        assert row.over == [], f"{row.language}: short text too long in {row.over}"
        assert row.longest <= SHORT_WORDS + 25, f"{row.language}: a first message of {row.longest}"


def test_the_report_names_faqs_whose_users_get_the_whole_answer(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    seed = tmp_path / "seed"
    (seed / "faqs").mkdir(parents=True)
    for name in ("intents.yaml", "services.yaml", "courses.yaml", "events.yaml"):
        (seed / name).write_text((SEED_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    faqs = yaml.safe_load((SEED_DIR / "faqs" / "work.yaml").read_text(encoding="utf-8"))
    for translation in faqs[0]["translations"].values():
        translation.pop("short", None)
    (seed / "faqs" / "work.yaml").write_text(yaml.safe_dump(faqs), encoding="utf-8")
    with sessions.begin() as session:
        load_seed(session, seed)
        rows = lengths(session, ["it", "zh"])
    assert [row.without_short for row in rows] == [[faqs[0]["slug"]]] * 2
    assert faqs[0]["slug"] in text(rows)


def test_a_short_text_over_the_limit_is_refused_with_its_length(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    seed = tmp_path / "seed"
    (seed / "faqs").mkdir(parents=True)
    faqs = yaml.safe_load((SEED_DIR / "faqs" / "work.yaml").read_text(encoding="utf-8"))
    faqs[0]["translations"]["it"]["short"] = "Vai al Centro per l'Impiego. " * 12
    (seed / "faqs" / "work.yaml").write_text(yaml.safe_dump(faqs), encoding="utf-8")
    with pytest.raises(SeedError, match="at most 60 words"), sessions.begin() as session:
        load_seed(session, seed)
