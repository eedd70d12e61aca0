"""The full-text fallback (Rasa down or slow) on topics it never saw: does it still abstain?

The same split as bench/out_of_scope.py: covered examples in stratified folds, uncovered topics
by topic. Each fold's index holds only that fold's training examples, written by the product's
own `content.search.replace_entries`; every held-out message then goes through the dialogue
core's `Understander` with the NLU down, so it is routed by search alone. Reported over a grid
of `search.min_score`: the share of unseen-topic questions answered, of covered questions left
unanswered, and of covered questions answered with the wrong category; the chosen point is the
one bench/out_of_scope.py's rule picks. Then, at that score, over a grid of `search.min_lead`
(how far the best FAQ must lead the next one to be answered; closer, the bot asks which one):
the three decisions of bench/decisions.py per language, the chosen lead the smallest whose FAQ
answers are wrong at most `decisions.WRONG` of the time. No Rasa model is trained. The last line
is one JSON object.

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

from bench import decisions
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
MIN_LEADS = [0.0, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.25, 0.3]


def at(understander: Understander, min_score: float, min_lead: float = 0.0) -> Understander:
    """The same routing with other search thresholds."""
    other = copy.copy(understander)
    other.search_threshold, other.search_lead = min_score, min_lead
    return other


def leads(
    outcomes: list[Outcome], understander: Understander, min_score: float
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The three decisions at every lead; the smallest lead with few wrong answers."""
    rows = [
        {"min_lead": lead, **decisions.table(outcomes, at(understander, min_score, lead))}
        for lead in MIN_LEADS
    ]
    careful = [row for row in rows if row["answered_wrong"] <= decisions.WRONG]
    chosen = min(careful, key=lambda r: r["min_lead"]) if careful else rows[-1]
    return rows, chosen


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
    lead_rows, lead = leads(outcomes, understander, chosen["min_score"])
    decisions.report(
        f"three decisions at min_score {chosen['min_score']}, config.yml's min_lead "
        f"{settings.search.min_lead}",
        next(r for r in lead_rows if r["min_lead"] == settings.search.min_lead)
        if settings.search.min_lead in MIN_LEADS
        else lead,
    )
    decisions.report(f"three decisions, the rule's min_lead {lead['min_lead']}", lead)
    print(f"\nsearch alone, three decisions at min_score {chosen['min_score']}:")
    print("  min_lead  right  wrong  asked-with  asked-without  declined  unseen-answered")
    for row in lead_rows:
        print(
            f"  {row['min_lead']:8.2f}  {row['answered_right']:5.1%}  {row['answered_wrong']:5.1%}"
            f"  {row['clarified_with']:10.1%}  {row['clarified_without']:13.1%}"
            f"  {row['declined']:8.1%}  {row['unseen_answered']:15.1%}"
            + ("  <- chosen" if row is lead else ""),
            flush=True,
        )
    for row in [*rows, *lead_rows]:
        row.pop("per_language")
    result: dict[str, Any] = {
        "folds": args.folds,
        "chosen": chosen,
        "grid": rows,
        "chosen_lead": lead,
        "leads": lead_rows,
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
