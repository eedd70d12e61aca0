"""Follow-ups that keep the topic: is a short message after an answer read with that answer?

The held-out conversations of `bench/data/followups.yaml` (written for this benchmark apart from
the seed's examples, never trained on; ten languages, some typed in Latin letters) go through the
real dialogue core on the model of the seed, served by Rasa over HTTP, over a throwaway database
holding the seed (`record=False`). Each case is two messages from one user: `first`, a question
the bot should answer with an FAQ, then `then` in the same user state. Two kinds of case:

- a follow-up naming no topic of its own ("how much?", "and for children?"), with `expect`: the
  FAQ that answers it in context (the first one again when its details answer it);
- a control with a topic of its own, with `fresh`: the FAQ that answers it as its own question.

The second message is classified: answered right (the expected FAQ, or its details), answered with
another FAQ (or anything but a decision), clarified with or without the expected FAQ among the
options, asked for the whole question ("which topic do you mean?": no topic of its own and none
before that settles it), declined. "Before" is the same second message from a new user (no previous
topic): what the bot did before follow-ups were read in context. A control is answered as its own
question, taken as a follow-up (answered only because it was read with the previous question), or
neither. A case whose first message got no FAQ answer is counted and listed: its follow-up has no
topic to keep; a case whose second message is also a training example (after folding) is left out
and counted. Rasa is given a generous timeout, so that a busy machine does not turn parses into
search fallbacks. Tables per language (and Latin-typed variant) and overall; the last line printed
is one JSON object.

    .venv/bin/python -m bench.followups [--language it] [--limit 3] [--verbose]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.decisions import variant
from bench.out_of_scope import sessions_with_seed
from content.text import fold
from dialogue.app import build_dialogue
from dialogue.core import Dialogue, Turn
from dialogue.understanding import Decision, Understander
from nlu import runtime
from nlu.client import RasaClient
from nlu.training_data import Example, examples
from shared.settings import get_settings
from storage.users import UserState
from testbed.rasa import rasa_server

CASES = Path(__file__).resolve().parent / "data" / "followups.yaml"
RASA_TIMEOUT = 30.0  # seconds: a slow parse on a shared machine is still a parse
OUTCOMES = ("right", "wrong", "clarified_with", "clarified_without", "asked_topic", "declined")
CONTROLS = ("own", "followed", "neither")


@dataclass(frozen=True)
class Case:
    """Two messages of one user, and the FAQ that should answer the second."""

    language: str
    first: str
    then: str
    expect: str
    fresh: bool  # a control: the second message has a topic of its own

    @property
    def variant(self) -> str:
        """The language, or `ur-Latn`, `bn-Latn`, `ar-Latn` for a follow-up typed in Latin."""
        return variant(Example("", self.language, self.then))


@dataclass(frozen=True)
class Result:
    """What the bot did with a case's second message, after the first and from a new user."""

    case: Case
    first_faq: str | None  # the FAQ that answered the first message, if one did
    after: str
    before: str
    answered: str | None  # what answered the second message in context


def load_cases(path: Path = CASES) -> list[Case]:
    """The conversations of the YAML file, by language."""
    data: dict[str, list[dict[str, str]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(
            language,
            item["first"],
            item["then"],
            item.get("expect") or item["fresh"],
            "fresh" in item,
        )
        for language, items in data.items()
        for item in items
    ]


def first_of_each(cases: list[Case], limit: int) -> list[Case]:
    """The first `limit` cases of each language."""
    taken: Counter[str] = Counter()
    kept = []
    for case in cases:
        taken[case.language] += 1
        if taken[case.language] <= limit:
            kept.append(case)
    return kept


def outcome(turn: Turn, expected: str) -> str:
    """Right, wrong, clarified with or without the expected FAQ, asked for the whole question
    (a message with no topic of its own that nothing before settles), or declined."""
    understood = turn.understanding
    match turn.decision:
        case Decision.ANSWER if understood is not None and Understander.follows(understood):
            return "asked_topic"
        case Decision.ANSWER:
            return "right" if understood is not None and understood.faq == expected else "wrong"
        case Decision.CLARIFY:
            return "clarified_with" if f"faq/{expected}" in turn.offered else "clarified_without"
        case Decision.DECLINE:
            return "declined"
    return "wrong"  # no decision: an office list or a menu instead of an answer


def control(after: str, before: str, after_turn: Turn) -> str:
    """A control answered as its own question, taken as a follow-up, or neither."""
    if after_turn.decision is Decision.ANSWER and before not in ("right", "wrong"):
        return "followed"  # answered only when read with the previous question
    return "own" if after == "right" else "neither"


async def run_case(dialogue: Dialogue, case: Case) -> Result:
    """The two messages from one user, and the second from a new one."""
    state = UserState(case.language)
    first = await dialogue.handle_text(state, case.first)
    answered_first = first.decision is Decision.ANSWER and first.understanding is not None
    then = await dialogue.handle_text(first.state or state, case.then)
    alone = await dialogue.handle_text(UserState(case.language), case.then)
    after, before = outcome(then, case.expect), outcome(alone, case.expect)
    if case.fresh:
        after = control(after, before, then)
    return Result(
        case,
        first.understanding.faq if answered_first and first.understanding else None,
        after,
        before,
        (then.understanding.faq or then.understanding.intent) if then.understanding else None,
    )


async def run_all(url: str, database: Path, cases: list[Case]) -> tuple[list[Result], int]:
    """Every case through the dialogue core on a fresh seeded database, but those whose second
    message is also a training example (after folding): the results, and how many were left."""
    settings = get_settings()
    sessions = sessions_with_seed(database)
    with sessions() as session:
        trained = {fold(item.text) for item in examples(session)}
    held_out = [case for case in cases if fold(case.then) not in trained]
    rasa = RasaClient(url, RASA_TIMEOUT)
    dialogue = build_dialogue(settings, sessions, rasa, record=False)
    try:
        unknown = sorted(
            {c.expect for c in cases if dialogue.content.faq_category(c.expect) is None}
        )
        if unknown:
            raise SystemExit(f"{CASES.name} names FAQs the seed does not have: {unknown}")
        return [await run_case(dialogue, case) for case in held_out], len(cases) - len(held_out)
    finally:
        await rasa.aclose()


def shares(counts: Counter[str], names: tuple[str, ...]) -> dict[str, float]:
    """Each outcome's share of the counted cases."""
    total = max(1, sum(counts.values()))
    return {name: round(counts[name] / total, 4) for name in names}


def tables(results: list[Result]) -> dict[str, Any]:
    """Follow-ups before and after, and controls, per language variant and overall."""
    # (what is counted, language variant) -> outcomes
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for result in results:
        after, before = ("control", "alone") if result.case.fresh else ("after", "before")
        counts[after, result.case.variant][result.after] += 1
        counts[before, result.case.variant][result.before] += 1

    def row(key: str | None) -> dict[str, Any]:
        def pick(kind: str) -> Counter[str]:
            found = [c for (k, v), c in counts.items() if k == kind and key in (None, v)]
            return sum(found, Counter())

        return {
            "followups": sum(pick("after").values()),
            "after": shares(pick("after"), OUTCOMES),
            "before": shares(pick("before"), OUTCOMES),
            "controls": sum(pick("control").values()),
            "control": shares(pick("control"), CONTROLS),
            "control_alone_right": shares(pick("alone"), OUTCOMES)["right"],
        }

    keys = sorted({variant for _kind, variant in counts})
    return {**row(None), "per_language": {key: row(key) for key in keys}}


def report(result: dict[str, Any]) -> None:
    """The follow-up table (before -> after) and the controls' table."""
    print("\nfollow-ups (before: the same message from a new user -> after: in context)")
    print(f"  {'':8} {'n':>3}  " + "  ".join(f"{name:>17}" for name in OUTCOMES))
    for key, row in [*result["per_language"].items(), ("all", result)]:
        cells = "  ".join(
            f"{row['before'][name]:8.0%} -> {row['after'][name]:5.0%}" for name in OUTCOMES
        )
        print(f"  {key:8} {row['followups']:3}  {cells}")
    print("\ncontrols with a topic of their own (alone: answered right from a new user)")
    print(f"  {'':8} {'n':>3}  {'alone':>6}  " + "  ".join(f"{name:>8}" for name in CONTROLS))
    for key, row in [*result["per_language"].items(), ("all", result)]:
        cells = "  ".join(f"{row['control'][name]:8.0%}" for name in CONTROLS)
        print(f"  {key:8} {row['controls']:3}  {row['control_alone_right']:6.0%}  {cells}")


def main() -> None:
    """Ask every case, print the tables and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--language", action="append", help="only these languages")
    parser.add_argument("--limit", type=int, help="only the first N cases of each language")
    parser.add_argument("--verbose", action="store_true", help="print every case not right")
    args = parser.parse_args()
    settings = get_settings()
    model = runtime.model_path(settings)
    if not model.exists():
        raise SystemExit(f"no model for the current training data ({model.name}): `make model`")
    cases = [c for c in load_cases() if not args.language or c.language in args.language]
    if args.limit:
        cases = first_of_each(cases, args.limit)
    with (
        tempfile.TemporaryDirectory(prefix="primm-bench-") as tmp,
        rasa_server(settings, model) as (url, _process),
    ):
        results, dropped = asyncio.run(run_all(url, Path(tmp) / "bench.db", cases))
    unanswered = [r for r in results if r.first_faq is None]
    for r in unanswered:
        print(f"first message not answered with an FAQ ({r.case.language}): {r.case.first}")
    if args.verbose:
        for r in results:
            if r.after not in ("right", "own"):
                print(
                    f"{r.case.language}: {r.case.first!r} [{r.first_faq}] -> {r.case.then!r}: "
                    f"{r.after} ({r.answered}; expected {r.case.expect}, alone {r.before})"
                )
    result = tables(results)
    report(result)
    result["cases"] = len(results)
    result["first_not_answered"] = len(unanswered)
    result["left_out"] = dropped
    print(
        f"\n{len(results)} cases, {len(unanswered)} whose first message got no FAQ answer; "
        f"{dropped} left out, their second message also a training example",
        flush=True,
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
