"""The risk check: does a person in danger get the numbers first, and how often does a routine
question raise a false alarm?

1. Cross-validation on the training set of `nlu/risk.py` (stratified folds): recall per danger
   class, false alarms on the seed's covered questions and on the routine look-alikes, over a
   grid of thresholds. Both thresholds are chosen here only: the numbers come first from the
   highest one whose recall is at least 99 % for every class; the warning that says what to do
   from the lowest one with at most 1 % false alarms on the covered questions.
2. The held-out set `bench/data/risk.yaml`, written apart from the training examples and never
   trained on, asked once of the model of the whole training set: recall per class and per
   language or script, and how often its routine questions got the numbers or the warning, at
   the chosen thresholds and at those of `config.yml`. A held-out message that is also a
   training example (after folding) is left out and counted.
3. The time of one check (embedding included), as the bot pays it on every message.

    .venv/bin/python -m bench.risk [--folds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from content.risks import VARIANTS, risks
from content.text import fold
from nlu.components.encoder import CACHE_NAME
from nlu.risk import (
    SAFE,
    Labelled,
    RiskCheck,
    RiskModel,
    embeddings,
    risk_model,
    training_set,
)
from shared.settings import get_settings

HELD_OUT = Path(__file__).resolve().parent / "data" / "risk.yaml"
THRESHOLDS = [round(0.05 * step, 2) for step in range(1, 13)]  # 0.05 ... 0.60
TARGET_RECALL = 0.99
TARGET_ALARMS = 0.01


def cross_validated(items: list[Labelled], vectors: np.ndarray, k: int) -> np.ndarray:
    """Each training example's danger probability from the fold that did not train on it."""
    danger = np.zeros(len(items))
    labels = [item.label for item in items]
    for index, (train, test) in enumerate(
        StratifiedKFold(k, shuffle=True, random_state=13).split(items, labels)
    ):
        started = time.monotonic()
        model = RiskModel.fit([items[i] for i in train], vectors[train])
        danger[test] = model.danger([items[i].text for i in test], vectors[test])
        print(f"  fold {index + 1}/{k} in {time.monotonic() - started:.0f} s", flush=True)
    return danger


def share(flags: list[bool]) -> float:
    """The share of True, 0 for none."""
    return round(sum(flags) / max(1, len(flags)), 4)


def cv_table(items: list[Labelled], danger: np.ndarray) -> list[dict[str, Any]]:
    """Per threshold: recall per class, false alarms on covered questions and look-alikes."""
    rows = []
    for threshold in THRESHOLDS:
        flagged = danger >= threshold
        recall: dict[str, list[bool]] = defaultdict(list)
        alarms: dict[str, list[bool]] = defaultdict(list)
        for item, raised in zip(items, flagged, strict=True):
            if item.label == SAFE:
                alarms[item.origin].append(bool(raised))
            else:
                recall[item.label].append(bool(raised))
        rows.append(
            {
                "threshold": threshold,
                "recall": {name: share(flags) for name, flags in recall.items()},
                "false_alarms_covered": share(alarms["seed"]),
                "false_alarms_look_alikes": share(alarms["look-alike"]),
            }
        )
    return rows


def choose(rows: list[dict[str, Any]]) -> tuple[float, float]:
    """The two thresholds: the highest with at least 99 % recall for every class (the numbers
    first), and the lowest with at most 1 % false alarms on covered questions (the warning)."""
    recalled = [row for row in rows if min(row["recall"].values()) >= TARGET_RECALL]
    quiet = [row for row in rows if row["false_alarms_covered"] <= TARGET_ALARMS]
    first = max(recalled, key=lambda r: r["threshold"]) if recalled else rows[0]
    alarm = min(quiet, key=lambda r: r["threshold"]) if quiet else rows[-1]
    return float(first["threshold"]), float(max(alarm["threshold"], first["threshold"]))


def held_out(items: list[Labelled]) -> tuple[dict[str, dict[str, list[str]]], int]:
    """The held-out messages by class and language, without those also trained on."""
    trained = {fold(item.text) for item in items}
    document: dict[str, dict[str, list[str]]] = yaml.safe_load(HELD_OUT.read_text("utf-8"))
    dropped = 0
    kept: dict[str, dict[str, list[str]]] = {}
    for name, by_language in document.items():
        for language, texts in by_language.items():
            fresh = [text for text in texts if fold(text) not in trained]
            dropped += len(texts) - len(fresh)
            kept.setdefault(name, {})[language] = fresh
    return kept, dropped


def held_out_figures(
    document: dict[str, dict[str, list[str]]], model: RiskModel, first: float, alarm: float
) -> dict[str, Any]:
    """Per class and language: the numbers shown first, and the warning; on routine questions,
    per language, how often either came."""
    check = RiskCheck(model, first, alarm)
    recall: dict[str, dict[str, float]] = {}
    warned: list[bool] = []
    right_class: list[bool] = []
    notices: dict[str, float] = {}
    alarms: dict[str, float] = {}
    for name, by_language in document.items():
        for language, texts in by_language.items():
            found = [check.assess(text) for text in texts]
            if name == SAFE:
                notices[language] = share([seen is not None for seen in found])
                alarms[language] = share([seen is not None and seen.sure for seen in found])
                continue
            recall.setdefault(name, {})[language] = share([seen is not None for seen in found])
            warned += [seen is not None and seen.sure for seen in found]
            right_class += [name in seen.kinds for seen in found if seen is not None]
    cells = [v for by_language in recall.values() for v in by_language.values()]
    return {
        "thresholds": [first, alarm],
        "recall": recall,
        "recall_min": min(cells),
        "recall_all": round(statistics.mean(cells), 4),
        "warned": share(warned),
        "right_class_named": share(right_class),
        "routine_numbers": notices,
        "routine_numbers_all": round(statistics.mean(notices.values()), 4),
        "routine_warned": alarms,
        "routine_warned_all": round(statistics.mean(alarms.values()), 4),
    }


def print_held_out(result: dict[str, Any]) -> None:
    """A table: a row per class, a column per language or script."""
    first, alarm = result["thresholds"]
    print(
        f"\nheld-out at {first} / {alarm}: numbers first {result['recall_all']:.1%} (lowest "
        f"cell {result['recall_min']:.0%}), with the warning {result['warned']:.1%}, the right "
        f"class named {result['right_class_named']:.1%}; routine look-alikes: numbers "
        f"{result['routine_numbers_all']:.1%}, warning {result['routine_warned_all']:.1%}"
    )
    print("  " + " ".join(f"{v:>7}" for v in ("", *VARIANTS)))
    for name, by_language in result["recall"].items():
        cells = " ".join(f"{by_language[v]:7.0%}" for v in VARIANTS)
        print(f"  {name:>11} {cells}")
    for name, key in (("numbers", "routine_numbers"), ("warning", "routine_warned")):
        cells = " ".join(f"{result[key][v]:7.0%}" for v in VARIANTS)
        print(f"  {'routine ' + name:>11} {cells}")


def timing(model: RiskModel, texts: list[str]) -> dict[str, float]:
    """Milliseconds of one check, as on every message."""
    check = RiskCheck(model, 0.5, 0.5)
    spent = []
    for text in texts:
        started = time.perf_counter()
        check.assess(text)
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return {
        "mean_ms": round(statistics.mean(spent), 1),
        "p95_ms": round(spent[int(0.95 * (len(spent) - 1))], 1),
    }


def main() -> None:
    """Cross-validate, choose, test on the held-out set; print tables and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    settings = get_settings()
    items = training_set(risks())
    counts = Counter(item.origin for item in items)
    print(f"training set: {dict(counts)}; embedding it ...", flush=True)
    started = time.monotonic()
    models = settings.path(settings.nlu.models_dir)
    vectors = embeddings([item.text for item in items], models / CACHE_NAME)
    print(f"  embedded in {time.monotonic() - started:.0f} s", flush=True)
    rows = cv_table(items, cross_validated(items, vectors, args.folds))
    print("\ncross-validated: threshold, recall per class, false alarms (covered, look-alikes)")
    for row in rows:
        recall = "  ".join(f"{name} {value:.1%}" for name, value in row["recall"].items())
        print(
            f"  {row['threshold']:.2f}  {recall}  covered {row['false_alarms_covered']:.1%}  "
            f"look-alikes {row['false_alarms_look_alikes']:.1%}"
        )
    first, alarm = choose(rows)
    print(
        f"chosen: numbers first from {first} (recall >= {TARGET_RECALL:.0%} for every class), "
        f"the warning from {alarm} (false alarms on covered questions <= {TARGET_ALARMS:.0%})"
    )
    document, dropped = held_out(items)
    print(f"held-out set: {dropped} messages left out, also in the training set")
    model = risk_model(models)
    configured = (settings.risk.threshold, settings.risk.alarm_threshold)
    results = [held_out_figures(document, model, first, alarm)]
    if configured != (first, alarm):
        results.append(held_out_figures(document, model, *configured))
    for result in results:
        print_held_out(result)
    asked = [
        text
        for by_language in document.values()
        for texts in by_language.values()
        for text in texts
    ]
    spent = timing(model, asked)
    print(f"\none check: {spent['mean_ms']} ms on average, p95 {spent['p95_ms']} ms")
    summary = {
        "chosen": [first, alarm],
        "configured": list(configured),
        "cross_validated": rows,
        "held_out": results,
        "held_out_dropped": dropped,
        "timing": spent,
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
