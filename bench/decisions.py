"""Three decisions on held-out folds: answer, ask which one ("is it one of these?"), or decline.

Reads the cross-validated outcomes of `bench/out_of_scope.py` (each held-out message with what
its fold's model understood) and `Understander.decide`, the one definition of the decision. For
each FAQ question: answered right (the exact FAQ), answered wrong, clarified with the right FAQ
among the options, clarified without it, declined; for unseen topics: answered, clarified. Both
operating points are chosen from these folds only (`choose`). `python -m bench.out_of_scope --kept`
reads the outcomes the last open-set run kept and prints the tables again, without trainings.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from dialogue.understanding import Decision, Understander, Understanding
from nlu.training_data import Example
from shared.vocabulary import COURTESIES, TYPED_IN_LATIN

UNSEEN_CLARIFIED = 0.10
UNSEEN_ANSWERED = 0.05
WRONG = 0.02
ANSWER_CONFIDENCES = [round(0.30 + 0.05 * step, 2) for step in range(13)]  # 0.30 ... 0.90
CLARIFY_CONFIDENCES = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25]
CLARIFY_SIMILARITIES = [0.0, 0.75, 0.78, 0.8, 0.82, 0.84, 0.86]
OUTCOMES = (
    "answered_right",
    "answered_wrong",
    "clarified_with",
    "clarified_without",
    "declined",
)


class Outcome(Protocol):
    """A held-out message and what its fold's model understood (bench/out_of_scope.py)."""

    @property
    def example(self) -> Example: ...

    @property
    def understood(self) -> Understanding: ...

    @property
    def covered(self) -> bool: ...


def at(
    understander: Understander,
    confidence: float,
    similarity: float,
    answer: float | None = None,
) -> Understander:
    """The same decision with another clarify point (and, given, another answer confidence)."""
    other = copy.copy(understander)
    other.clarify_threshold, other.clarify_similarity = confidence, similarity
    if answer is not None:
        other.threshold = answer
    return other


def _faq_outcome(outcome: Outcome, understander: Understander) -> str:
    understood, label = outcome.understood, outcome.example.label
    match understander.decide(understood):
        case Decision.ANSWER:
            return "answered_right" if f"faq/{understood.faq}" == label else "answered_wrong"
        case Decision.CLARIFY:
            offered = [f"faq/{slug}" for slug in understander.options(understood)]
            return "clarified_with" if label in offered else "clarified_without"
    return "declined"


def variant(example: Example) -> str:
    """The language, or `ur-Latn`, `bn-Latn`, `ar-Latn` for those typed in Latin letters."""
    letters = [ch for ch in example.text if ch.isalpha()]
    latin = sum(ch.isascii() for ch in letters) > len(letters) / 2
    return (
        f"{example.language}-Latn"
        if latin and example.language in TYPED_IN_LATIN
        else example.language
    )


def table(outcomes: Sequence[Outcome], understander: Understander) -> dict[str, Any]:
    """Shares per language and script, and overall, of each outcome; unseen topics answered or
    clarified."""
    faq: dict[str, Counter[str]] = defaultdict(Counter)
    unseen: dict[str, Counter[str]] = defaultdict(Counter)
    courtesy: dict[str, Counter[bool]] = defaultdict(Counter)
    for outcome in outcomes:
        language = variant(outcome.example)
        label, understood = outcome.example.label, outcome.understood
        if not outcome.covered:
            unseen[language][understander.decide(understood).value] += 1
        elif label.startswith("faq/"):
            faq[language][_faq_outcome(outcome, understander)] += 1
        elif label in COURTESIES:
            answered = understander.decide(understood) is Decision.ANSWER
            courtesy[language][answered and understood.intent == label] += 1

    def row(
        counts: Counter[str], unseen_counts: Counter[str], courtesies: Counter[bool]
    ) -> dict[str, float]:
        total, asked = max(1, sum(counts.values())), max(1, sum(unseen_counts.values()))
        shares = {name: round(counts[name] / total, 4) for name in OUTCOMES}
        right = shares["answered_right"] + shares["clarified_with"]
        return {
            **shares,
            "right_answered_or_offered": round(right, 4),
            "unseen_answered": round(unseen_counts["answer"] / asked, 4),
            "unseen_clarified": round(unseen_counts["clarify"] / asked, 4),
            "courtesy_answered": round(courtesies[True] / max(1, courtesies.total()), 4),
        }

    return {
        **row(
            sum(faq.values(), Counter()),
            sum(unseen.values(), Counter()),
            sum(courtesy.values(), Counter()),
        ),
        "per_language": {
            language: row(faq[language], unseen[language], courtesy[language])
            for language in sorted(faq)
        },
    }


def grid(
    figures: Callable[[float, float], dict[str, Any]],
    confidences: Sequence[float],
    similarities: Sequence[float],
) -> list[dict[str, Any]]:
    """The overall figures at every point of a confidence x similarity grid."""
    rows = []
    for confidence in confidences:
        for similarity in similarities:
            result = figures(confidence, similarity)
            result.pop("per_language")
            rows.append({"confidence": confidence, "similarity": similarity, **result})
    return rows


def choose(outcomes: Sequence[Outcome], understander: Understander) -> dict[str, Any]:
    """Answer where few answers are wrong, then ask which one where the right FAQ is offered.

    The answer point: the lowest confidence whose FAQ answers are wrong at most `WRONG` of the
    time, with at most `UNSEEN_ANSWERED` of the unseen topics answered. The clarify point, under
    it: the most FAQ questions answered or offered right with at most `UNSEEN_CLARIFIED` of the
    unseen topics answered or clarified (ties: fewer unseen).
    """
    answering = [
        {"answer_confidence": answer, **table(outcomes, at(understander, 1.0, 1.0, answer))}
        for answer in ANSWER_CONFIDENCES
    ]
    careful = [
        row
        for row in answering
        if row["answered_wrong"] <= WRONG and row["unseen_answered"] <= UNSEEN_ANSWERED
    ]
    answer = min(careful or answering[-1:], key=lambda r: r["answer_confidence"])[
        "answer_confidence"
    ]

    def figures(confidence: float, similarity: float) -> dict[str, Any]:
        return table(outcomes, at(understander, confidence, similarity, answer))

    rows = [
        {"answer_confidence": answer, **row}
        for row in grid(figures, CLARIFY_CONFIDENCES, CLARIFY_SIMILARITIES)
    ]
    allowed = [
        row for row in rows if row["unseen_answered"] + row["unseen_clarified"] <= UNSEEN_CLARIFIED
    ] or rows
    best = max(
        allowed,
        key=lambda r: (
            r["right_answered_or_offered"],
            -(r["unseen_answered"] + r["unseen_clarified"]),
        ),
    )
    for row in answering:
        row.pop("per_language")
    return {"chosen": best, "answer_points": answering, "grid": rows}


def report(name: str, figures: dict[str, Any]) -> None:
    """One operating point: overall and a row per language."""
    print(f"\n{name}:")
    print(
        "  language  answered-right  answered-wrong  clarified-with  clarified-without"
        "  declined  right-or-offered  unseen-answered  unseen-clarified  courtesies-answered"
    )
    rows = [("all", figures), *figures["per_language"].items()]
    for language, row in rows:
        print(
            f"  {language:>8}  {row['answered_right']:14.1%}  {row['answered_wrong']:14.1%}  "
            f"{row['clarified_with']:14.1%}  {row['clarified_without']:17.1%}  "
            f"{row['declined']:8.1%}  {row['right_answered_or_offered']:16.1%}  "
            f"{row['unseen_answered']:15.1%}  {row['unseen_clarified']:16.1%}  "
            f"{row['courtesy_answered']:19.1%}",
            flush=True,
        )
