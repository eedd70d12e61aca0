"""Open-set routing: does the bot abstain on topics nobody wrote down, and still answer the rest?

Cross-validation, with real Rasa models trained per fold and served over HTTP:

- the covered examples (FAQs, categories, conversation) are split into the same stratified folds
  as `bench/nlu_eval.py`;
- the uncovered topics of `content/seed/intents.yaml` are split by topic: fold k trains on the
  other folds' topics and is tested on topics its model never saw.

Every held-out message goes through the dialogue core's `Understander`; `Understander.answers`
(the one definition of "answered") is then evaluated over a grid of the two thresholds (the
classifier's confidence and the similarity to the nearest training example of the chosen
label). Reported per language: the share of unseen-topic questions answered (target <= 5 %),
in-scope category accuracy, the share of covered questions the bot abstains on, and a
risk-coverage table. The operating point is chosen from these cross-validated figures only (the
lowest abstain share on covered questions with at most 5 % of unseen topics answered); the
questions of `bench/out_of_scope.yml` (seven topics absent from the seed) are then asked once,
through the whole dialogue core on the model of the full seed, at the thresholds of `config.yml`:
the final test, never used to choose anything. The last line printed is one JSON object.

    .venv/bin/python -m bench.out_of_scope [--folds 5] [--final-only | --kept]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import pickle
import random
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session, sessionmaker

from bench import decisions
from bench.nlu_eval import folds, train, write_data
from content.loader import load_seed
from dialogue.app import build_dialogue
from dialogue.understanding import Understander, Understanding
from nlu import runtime
from nlu.client import RasaClient
from nlu.training_data import PIPELINE, Example, examples
from shared.settings import get_settings
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from storage.users import UserState
from testbed.fakes import FakeNlu
from testbed.rasa import rasa_server

QUESTIONS = Path(__file__).resolve().parent / "out_of_scope.yml"
# The cross-validated outcomes, kept for a second look without five trainings (build/, ignored).
OUTCOMES_FILE = Path(__file__).resolve().parent.parent / "build" / "bench" / "open-set.pickle"
TARGET = 0.05  # the most unseen-topic questions the bot may answer
CONFIDENCES = [round(0.30 + 0.05 * step, 2) for step in range(13)]  # 0.30 ... 0.90
SIMILARITIES = [0.0, *(round(0.80 + 0.01 * step, 2) for step in range(17))]  # off, 0.80 ... 0.96


@dataclass(frozen=True)
class Outcome:
    """One held-out message and what the fold's model understood."""

    example: Example
    truth: str  # the category (or conversational key) it belongs to
    understood: Understanding

    @property
    def covered(self) -> bool:
        """A message of the content, not of an uncovered topic."""
        return not self.example.topic


def topic_folds(negatives: list[Example], k: int, seed: int = 13) -> list[set[str]]:
    """The uncovered topics dealt into k folds after a seeded shuffle."""
    topics = sorted({item.topic for item in negatives})
    random.Random(seed).shuffle(topics)
    return [set(topics[index::k]) for index in range(k)]


def splits(
    covered: list[Example], negatives: list[Example], k: int
) -> Iterator[tuple[list[Example], list[Example], set[str]]]:
    """Each fold's training examples, test examples and held-out topics."""
    parts, topics = folds(covered, k), topic_folds(negatives, k)
    for index in range(k):
        train = [item for j, part in enumerate(parts) if j != index for item in part]
        train += [item for item in negatives if item.topic not in topics[index]]
        tests = [*parts[index], *(item for item in negatives if item.topic in topics[index])]
        yield train, tests, topics[index]


def split(
    items: list[Example], understander: Understander
) -> tuple[list[Example], list[Example], dict[str, str]]:
    """Covered examples, uncovered-topic examples, and each FAQ label's category."""
    truths = {
        i.label: understander.content.faq_category(i.label[4:]) or i.label
        for i in items
        if i.label.startswith("faq/")
    }
    return [i for i in items if not i.topic], [i for i in items if i.topic], truths


def sessions_with_seed(database: Path) -> sessionmaker[Session]:
    """A fresh SQLite database holding the seed content."""
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        load_seed(session)
    return sessions


async def understand_all(
    url: str, sessions: sessionmaker[Session], tests: list[tuple[Example, str]]
) -> list[Outcome]:
    """Route every held-out message with the fold's Rasa server."""
    settings = get_settings()
    rasa = RasaClient(url, 30.0)
    understander = build_dialogue(settings, sessions, rasa).understander
    try:
        return [
            Outcome(item, truth, await understander.understand(item.text)) for item, truth in tests
        ]
    finally:
        await rasa.aclose()


def cross_validate(
    covered: list[Example],
    negatives: list[Example],
    k: int,
    truths: dict[str, str],
    sessions: sessionmaker[Session],
    work: Path,
) -> list[Outcome]:
    """Train and test k folds: stratified over covered examples, by topic over negatives."""
    settings = get_settings()
    outcomes: list[Outcome] = []
    for index, (train_items, tests, held_out) in enumerate(splits(covered, negatives, k)):
        fold_dir = work / f"fold-{index}"
        fold_dir.mkdir()
        data, domain = write_data(fold_dir, train_items)
        seconds = train(PIPELINE, data, domain, fold_dir, "model")
        with rasa_server(settings, fold_dir / "model.tar.gz") as (url, _process):
            labelled = [(item, truths.get(item.label, item.label)) for item in tests]
            outcomes += asyncio.run(understand_all(url, sessions, labelled))
        print(
            f"  fold {index + 1}/{k}: trained in {seconds:.0f} s, held-out topics "
            f"{', '.join(sorted(held_out))}",
            flush=True,
        )
    return outcomes


def at(understander: Understander, confidence: float, similarity: float) -> Understander:
    """The same routing with other thresholds."""
    other = copy.copy(understander)
    other.threshold, other.similarity_threshold = confidence, similarity
    return other


def figures(outcomes: Sequence[Outcome], understander: Understander) -> dict[str, Any]:
    """Answered share on unseen topics, accuracy and abstain share on covered questions."""
    unseen: dict[str, list[bool]] = defaultdict(list)
    right: dict[str, list[bool]] = defaultdict(list)
    abstained: dict[str, list[bool]] = defaultdict(list)
    wrong_answers: dict[str, list[bool]] = defaultdict(list)
    for outcome in outcomes:
        language = outcome.example.language
        answered = understander.answers(outcome.understood)
        if not outcome.covered:
            unseen[language].append(answered)
            continue
        correct = outcome.understood.category == outcome.truth
        right[language].append(correct)
        abstained[language].append(not answered and outcome.truth != "out_of_scope")
        wrong_answers[language].append(answered and not correct)

    def share(values: dict[str, list[bool]], language: str | None = None) -> float:
        rows = values[language] if language else [v for vs in values.values() for v in vs]
        return round(sum(rows) / max(1, len(rows)), 4)

    languages = sorted(right)
    return {
        "unseen_answered": share(unseen),
        "accuracy": share(right),
        "abstained": share(abstained),
        "wrong_answers": share(wrong_answers),
        "per_language": {
            language: {
                "unseen_answered": share(unseen, language),
                "accuracy": share(right, language),
                "abstained": share(abstained, language),
                "wrong_answers": share(wrong_answers, language),
            }
            for language in languages
        },
    }


def sweep(outcomes: Sequence[Outcome], understander: Understander) -> list[dict[str, Any]]:
    """Every grid point's figures (overall)."""
    return decisions.grid(
        lambda c, s: figures(outcomes, at(understander, c, s)), CONFIDENCES, SIMILARITIES
    )


def choose(rows: Sequence[dict[str, Any]], threshold: str = "confidence") -> dict[str, Any]:
    """Fewest abstentions on covered questions among points answering <= 5 % of unseen ones
    (ties: fewer unseen answered, then the higher `threshold`)."""
    allowed = [row for row in rows if row["unseen_answered"] <= TARGET] or list(rows)
    return min(allowed, key=lambda r: (r["abstained"], r["unseen_answered"], -r[threshold]))


def final_test(model: Path, database: Path) -> dict[str, Any]:
    """The questions of `out_of_scope.yml`, through the dialogue core on the full seed model."""
    settings = get_settings()
    questions: dict[str, list[str]] = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))

    async def ask(url: str) -> dict[str, Any]:
        rasa = RasaClient(url, settings.nlu.timeout_seconds)
        dialogue = build_dialogue(settings, sessions_with_seed(database), rasa, record=False)
        answered: dict[str, list[str]] = {}
        try:
            for language, texts in questions.items():
                answered[language] = []
                for text in texts:
                    turn = await dialogue.handle_text(UserState(language), text)
                    understood = turn.understanding
                    if understood is not None and dialogue.understander.answers(understood):
                        answered[language].append(
                            f"{text} -> {understood.faq or understood.intent}"
                        )
        finally:
            await rasa.aclose()
        return answered

    with rasa_server(settings, model) as (url, _process):
        answered = asyncio.run(ask(url))
    asked = sum(len(texts) for texts in questions.values())
    return {
        "questions": asked,
        "answered": sum(len(v) for v in answered.values()),
        "answered_share": round(sum(len(v) for v in answered.values()) / asked, 4),
        "by_language": {language: len(v) for language, v in answered.items()},
        "wrong": [f"{language}: {line}" for language, v in answered.items() for line in v],
    }


def report(name: str, result: dict[str, Any]) -> None:
    """One operating point, overall and per language."""
    print(
        f"\n{name}: unseen topics answered {result['unseen_answered']:.1%}, category accuracy "
        f"{result['accuracy']:.1%}, covered abstained {result['abstained']:.1%}, "
        f"covered answered wrongly {result['wrong_answers']:.1%}",
        flush=True,
    )
    for language, row in result["per_language"].items():
        print(
            f"  {language}: unseen answered {row['unseen_answered']:5.1%}  accuracy "
            f"{row['accuracy']:5.1%}  abstained {row['abstained']:5.1%}  "
            f"wrong {row['wrong_answers']:5.1%}",
            flush=True,
        )


def main() -> None:
    """Cross-validate, choose, run the final test; print tables and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--final-only", action="store_true", help="only the final test")
    parser.add_argument(
        "--kept",
        action="store_true",
        help="the tables again from the outcomes the last run kept: no training, no final test",
    )
    args = parser.parse_args()
    settings = get_settings()
    model = runtime.model_path(settings)
    if not model.exists():
        raise SystemExit(f"no model for the current training data ({model.name}): `make model`")
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="primm-bench-") as tmp:
        work = Path(tmp)
        if not args.final_only:
            sessions = sessions_with_seed(work / "bench.db")
            with sessions() as session:
                items = examples(session)
            # The thresholds' decision only: it reads the outcomes, never asks an NLU.
            understander = build_dialogue(settings, sessions, FakeNlu({})).understander
            covered, negatives, truths = split(items, understander)
            print(
                f"{len(covered)} covered examples, {len(negatives)} uncovered in "
                f"{len({i.topic for i in negatives})} topics, {args.folds} folds",
                flush=True,
            )
            if args.kept:
                outcomes = pickle.loads(OUTCOMES_FILE.read_bytes())
            else:
                outcomes = cross_validate(covered, negatives, args.folds, truths, sessions, work)
                OUTCOMES_FILE.parent.mkdir(parents=True, exist_ok=True)
                OUTCOMES_FILE.write_bytes(pickle.dumps(outcomes))
            rows = sweep(outcomes, understander)
            chosen = choose(rows)
            configured = at(
                understander,
                settings.nlu.confidence_threshold,
                settings.nlu.similarity_threshold,
            )
            confidence_only = at(understander, settings.nlu.confidence_threshold, 0.0)
            result = {
                "folds": args.folds,
                "chosen": chosen,
                "configured": {
                    "confidence": settings.nlu.confidence_threshold,
                    "similarity": settings.nlu.similarity_threshold,
                    **figures(outcomes, configured),
                },
                "confidence_only": figures(outcomes, confidence_only),
                "grid": rows,
            }
            report(
                f"confidence >= {settings.nlu.confidence_threshold} alone",
                result["confidence_only"],
            )
            report(
                f"config.yml (confidence >= {settings.nlu.confidence_threshold}, similarity >= "
                f"{settings.nlu.similarity_threshold})",
                result["configured"],
            )
            never = decisions.at(configured, 1.0, 1.0)  # two decisions: answer or decline
            clarifying = decisions.at(
                configured, settings.nlu.clarify_confidence, settings.nlu.clarify_similarity
            )
            result["decisions"] = {
                "two": decisions.table(outcomes, never),
                "configured": {
                    "confidence": settings.nlu.clarify_confidence,
                    "similarity": settings.nlu.clarify_similarity,
                    **decisions.table(outcomes, clarifying),
                },
                "clarify": decisions.choose(outcomes, configured),
            }
            decisions.report("answer or decline (no clarify)", result["decisions"]["two"])
            decisions.report(
                f"answer, clarify (confidence >= {settings.nlu.clarify_confidence}, similarity >= "
                f"{settings.nlu.clarify_similarity}) or decline",
                result["decisions"]["configured"],
            )
            best = result["decisions"]["clarify"]["chosen"]
            decisions.report(
                f"chosen together on the folds: answer from confidence "
                f"{best['answer_confidence']} (similarity {settings.nlu.similarity_threshold}), "
                f"clarify from confidence {best['confidence']}, similarity {best['similarity']}",
                decisions.table(
                    outcomes,
                    decisions.at(
                        configured,
                        best["confidence"],
                        best["similarity"],
                        best["answer_confidence"],
                    ),
                ),
            )
            print("\nrisk-coverage (cross-validated; similarity 0 = off):")
            print("  confidence similarity  unseen-answered  abstained  wrong  accuracy")
            for row in rows:
                if row["similarity"] in (0.0, 0.85, 0.88, 0.9, 0.92) or row is chosen:
                    print(
                        f"  {row['confidence']:10.2f} {row['similarity']:10.2f}"
                        f"  {row['unseen_answered']:15.1%}  {row['abstained']:9.1%}"
                        f"  {row['wrong_answers']:5.1%}  {row['accuracy']:8.1%}"
                        + ("  <- chosen" if row is chosen else ""),
                        flush=True,
                    )
        if args.kept:
            print(json.dumps(result, ensure_ascii=False))
            return
        final = final_test(model, work / "final.db")
    for line in final.pop("wrong"):
        print(line)
    print(
        f"\nfinal test (bench/out_of_scope.yml, {final['questions']} questions): answered anyway "
        f"{final['answered']} ({final['answered_share']:.1%}) at the thresholds of config.yml",
        flush=True,
    )
    result["final_test"] = final
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
