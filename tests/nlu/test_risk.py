"""The risk check's training set and its model kept beside the NLU models."""

from __future__ import annotations

from pathlib import Path

from content.loader import seed_faqs
from content.risks import VARIANTS, risks
from nlu.risk import SAFE, risk_file, training_set


def test_danger_is_taught_from_every_language_and_script_and_faqs_about_it_are_left_out() -> None:
    items = training_set(risks())
    by_text = {item.text: item.label for item in items}
    for name, kind in risks().classes.items():
        assert set(kind.examples) == set(VARIANTS)
        assert all(by_text[text] == name for texts in kind.examples.values() for text in texts)
    adjacent = risks().adjacent_faqs()
    for faq in seed_faqs():
        questions = {t.question for t in faq.translations.values()}
        if faq.slug in adjacent:
            assert not questions & set(by_text), f"{faq.slug} is about a danger: neither side"
        else:
            assert all(by_text[q] == SAFE for q in questions if q in by_text)
    assert len(by_text) == len(items), "a text is taught once"


def test_the_model_file_changes_with_the_seed(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parents[2] / "content" / "seed"
    copied = tmp_path / "seed"
    (copied / "faqs").mkdir(parents=True)
    for path in [seed / "intents.yaml", *(seed / "faqs").glob("*.yaml")]:
        target = copied / path.relative_to(seed)
        target.write_bytes(path.read_bytes())
    assert risk_file(copied) == risk_file(seed)
    (copied / "intents.yaml").write_text(
        (seed / "intents.yaml").read_text("utf-8") + "\n", "utf-8"
    )
    assert risk_file(copied) != risk_file(seed), "new examples, a new model"
