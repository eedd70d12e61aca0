"""The full-text fallback (Rasa down or slow) on topics it never saw: does it still abstain?

The same split as bench/out_of_scope.py: covered examples in stratified folds, uncovered topics
by topic. Each fold's index holds only that fold's training examples, written by the product's
own `content.search.replace_entries`; every held-out message then goes through the dialogue
core's `Understander` with the NLU down, so it is routed by search alone. Reported over a grid
of `search.min_score`: the share of unseen-topic questions answered, of covered questions left
unanswered, and of covered questions answered with the wrong category; the chosen point is the
one bench/out_of_scope.py's rule picks. No Rasa model is trained. The last line is one JSON
object.

    .venv/bin/python -m bench.search_fallback [--folds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from bench.out_of_scope import (
    TARGET,
    Outcome,
    choose,
    figures,
    report,
    sessions_with_seed,
    split,
    splits,
)
from content.search import replace_entries
from dialogue.app import build_dialogue
from dialogue.understanding import Understander
from nlu.training_data import examples
from shared.settings import get_settings
from testbed.fakes import FakeNlu

MIN_SCORES = [round(0.30 + 0.05 * step, 2) for step in range(13)]  # 0.30 ... 0.90


def at(understander: Understander, min_score: float) -> Understander:
    """The same routing with another search threshold."""
    other = copy.copy(understander)
    other.search_threshold = min_score
    return other


def main() -> None:
    """Cross-validate the search threshold; print a table and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    settings = get_settings()
    with tempfile.TemporaryDirectory(prefix="primm-bench-") as tmp:
        sessions = sessions_with_seed(Path(tmp) / "bench.db")
        with sessions() as session:
            items = examples(session)
        understander = build_dialogue(settings, sessions, FakeNlu(down=True)).understander
        covered, negatives, truths = split(items, understander)

        async def route() -> list[Outcome]:
            outcomes: list[Outcome] = []
            for train, tests, _topics in splits(covered, negatives, args.folds):
                with sessions.begin() as session:
                    replace_entries(session, ((i.label, i.language, i.text) for i in train))
                outcomes += [
                    Outcome(
                        item,
                        truths.get(item.label, item.label),
                        await understander.understand(item.text),
                    )
                    for item in tests
                ]
            return outcomes

        outcomes = asyncio.run(route())
    rows = [
        {"min_score": score, **figures(outcomes, at(understander, score))} for score in MIN_SCORES
    ]
    chosen = choose(rows, "min_score")
    configured = next(r for r in rows if r["min_score"] == settings.search.min_score)
    report(f"config.yml (search.min_score {settings.search.min_score})", configured)
    print(f"\nsearch alone, cross-validated (target: unseen answered <= {TARGET:.0%}):")
    print("  min_score  unseen-answered  abstained  wrong  accuracy")
    for row in rows:
        print(
            f"  {row['min_score']:9.2f}  {row['unseen_answered']:15.1%}  {row['abstained']:9.1%}"
            f"  {row['wrong_answers']:5.1%}  {row['accuracy']:8.1%}"
            + ("  <- chosen" if row is chosen else ""),
            flush=True,
        )
    for row in rows:
        row.pop("per_language")
    result: dict[str, Any] = {"folds": args.folds, "chosen": chosen, "grid": rows}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
