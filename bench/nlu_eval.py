"""NLU quality and speed: k-fold cross-validation over the seed example questions.

For each fold a real Rasa model is trained on the other folds and served over HTTP; every
held-out example is parsed through `/model/parse`. Reported per language and overall: category
accuracy and macro-F1 (the category of an FAQ is its own category), FAQ accuracy, fallback rate,
parse latency p50/p95, and training time on the whole seed content; the same for Rasa's default
pipeline when asked. The last line printed is one JSON object with every figure.

    .venv/bin/python -m bench.nlu_eval [--folds 5] [--baseline-folds 5] [--baseline-only]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx
import yaml

from content.loader import load_seed
from content.places import gazetteer
from nlu import runtime
from nlu.components.encoder import CACHE_ENV
from nlu.training_data import PIPELINE, Example, domain_document, examples, nlu_document
from nlu.wire import ENCODER_USED, FALLBACK_INTENT, INTENT, INTENT_NAME, INTENT_RANKING
from shared.settings import get_settings
from storage.content import Faq
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade
from testbed.rasa import free_port

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_PIPELINE = BENCH_DIR / "default_config.yml"


def folds(items: list[Example], k: int, seed: int = 13) -> list[list[Example]]:
    """Stratified split: each label's examples dealt round-robin after a seeded shuffle."""
    by_label: dict[str, list[Example]] = defaultdict(list)
    for item in items:
        by_label[item.label].append(item)
    parts: list[list[Example]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    for label in sorted(by_label):
        group = by_label[label]
        rng.shuffle(group)
        for index, item in enumerate(group):
            parts[index % k].append(item)
    return parts


def write_data(directory: Path, train: list[Example]) -> tuple[Path, Path]:
    """Training data and domain for one fold, in the format `primm nlu export` writes."""
    slugs = sorted({i.label.split("/", 1)[1] for i in train if i.label.startswith("faq/")})
    data, domain = directory / "nlu.yml", directory / "domain.yml"
    data.write_text(yaml.safe_dump(nlu_document(train, gazetteer()), allow_unicode=True))
    domain.write_text(yaml.safe_dump(domain_document(slugs), allow_unicode=True))
    return data, domain


def train(config: Path, data: Path, domain: Path, out: Path, name: str) -> float:
    """Train with the Rasa environment; return seconds taken."""
    settings = get_settings()
    started = time.monotonic()
    runtime.run_rasa(
        settings,
        "train",
        "nlu",
        "--config",
        str(config),
        "--nlu",
        str(data),
        "--domain",
        str(domain),
        "--out",
        str(out),
        "--fixed-model-name",
        name,
        quiet=True,
        env={"RASA_MAX_CACHE_SIZE": "0", CACHE_ENV: ""},  # a cold training: no cache
    )
    return time.monotonic() - started


def predicted(body: dict[str, Any], categories: dict[str, str]) -> tuple[str, str | None, bool]:
    """Category, FAQ slug and whether Rasa fell back, from a `/model/parse` answer."""
    ranking = [r[INTENT_NAME] for r in body.get(INTENT_RANKING) or []]
    fallback = body[INTENT][INTENT_NAME] == FALLBACK_INTENT
    intent = next((name for name in ranking if name != FALLBACK_INTENT), FALLBACK_INTENT)
    # A ResponseSelector without `retrieval_intent` (Rasa's default) answers under "default".
    selectors = body.get("response_selector") or {}
    selector = selectors.get("faq") or selectors.get("default") or {}
    key = (selector.get("response") or {}).get("intent_response_key")
    slug = key.split("/", 1)[1] if key and intent == "faq" else None
    category = categories.get(slug, "faq") if intent == "faq" and slug else intent
    return category, slug, fallback


def evaluate(
    config: Path,
    parts: list[list[Example]],
    runs: int,
    categories: dict[str, str],
    work: Path,
    negatives: list[Example],
) -> dict[str, Any]:
    """Train and test on the first `runs` folds (every fold also trains on all `negatives`)."""
    settings = get_settings()
    outcomes: list[tuple[Example, str, str | None, bool]] = []
    latencies: list[float] = []
    encoder: list[bool | None] = []
    train_seconds: list[float] = []
    for index in range(runs):
        fold_dir = work / f"{config.stem}-{index}"
        fold_dir.mkdir()
        train_items = [item for j, part in enumerate(parts) if j != index for item in part]
        data, domain = write_data(fold_dir, [*train_items, *negatives])
        train_seconds.append(train(config, data, domain, fold_dir, "model"))
        url = f"http://127.0.0.1:{free_port()}"
        local = settings.model_copy(update={"nlu": settings.nlu.model_copy(update={"url": url})})
        server = runtime.start_server(local, fold_dir / "model.tar.gz")
        try:
            with httpx.Client(timeout=30) as http:
                for item in parts[index]:
                    text = gazetteer().without(item.text)  # as the dialogue core does
                    started = time.perf_counter()
                    body = http.post(f"{url}/model/parse", json={"text": text}).json()
                    latencies.append((time.perf_counter() - started) * 1000)
                    outcomes.append((item, *predicted(body, categories)))
                    encoder.append(body.get(ENCODER_USED))
        finally:
            server.terminate()
            server.wait(timeout=60)
        print(
            f"  {config.stem} fold {index + 1}/{runs}: trained in {train_seconds[-1]:.0f} s",
            flush=True,
        )
    return (
        summarise(outcomes, latencies, categories)
        | encoder_share(encoder)
        | {
            "folds": runs,
            "fold_train_seconds": round(statistics.mean(train_seconds), 1),
        }
    )


def encoder_share(used: list[bool | None]) -> dict[str, float]:
    """The share of parses that ran the sentence encoder (empty for a pipeline that never says)."""
    known = [flag for flag in used if flag is not None]
    return {"encoder_share": round(sum(known) / len(known), 4)} if known else {}


def latency(items: list[Example]) -> dict[str, float]:
    """p50/p95 of `/model/parse` over HTTP on the model `primm nlu train` made, after a warm-up."""
    settings = get_settings()
    url = f"http://127.0.0.1:{free_port()}"
    local = settings.model_copy(update={"nlu": settings.nlu.model_copy(update={"url": url})})
    server = runtime.start_server(local, runtime.model_path(settings))
    timings: list[float] = []
    encoder: list[bool | None] = []
    try:
        with httpx.Client(timeout=30) as http:
            texts = [gazetteer().without(item.text) for item in items]  # as the dialogue core does
            for text in texts[:20]:
                http.post(f"{url}/model/parse", json={"text": text})
            for text in texts:
                started = time.perf_counter()
                response = http.post(f"{url}/model/parse", json={"text": text})
                timings.append((time.perf_counter() - started) * 1000)
                encoder.append(response.raise_for_status().json().get(ENCODER_USED))
    finally:
        server.terminate()
        server.wait(timeout=60)
    ordered = sorted(timings)
    return {
        "parses": len(ordered),
        "parse_p50_ms": round(statistics.median(ordered), 2),
        "parse_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
    } | encoder_share(encoder)


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro-averaged F1 over the true labels present."""
    labels = {truth for truth, _ in pairs}
    scores = []
    for label in labels:
        tp = sum(1 for t, p in pairs if t == label and p == label)
        fp = sum(1 for t, p in pairs if t != label and p == label)
        fn = sum(1 for t, p in pairs if t == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def summarise(
    outcomes: list[tuple[Example, str, str | None, bool]],
    latencies: list[float],
    categories: dict[str, str],
) -> dict[str, Any]:
    """Accuracy, macro-F1, FAQ accuracy and fallback rate per language and overall."""

    def truth(item: Example) -> str:
        return categories[item.label[4:]] if item.label.startswith("faq/") else item.label

    per_language: dict[str, list[tuple[str, str]]] = defaultdict(list)
    faq_right: Counter[str] = Counter()
    faq_all: Counter[str] = Counter()
    fallbacks = 0
    for item, category, slug, fallback in outcomes:
        per_language[item.language].append((truth(item), category))
        fallbacks += fallback
        if item.label.startswith("faq/"):
            faq_all[item.language] += 1
            faq_right[item.language] += slug == item.label[4:]
    everything = [pair for pairs in per_language.values() for pair in pairs]
    ordered = sorted(latencies)
    return {
        "examples": len(outcomes),
        "accuracy": round(sum(t == p for t, p in everything) / len(everything), 4),
        "macro_f1": round(macro_f1(everything), 4),
        "faq_accuracy": round(sum(faq_right.values()) / max(1, sum(faq_all.values())), 4),
        "fallback_rate": round(fallbacks / len(outcomes), 4),
        "per_language": {
            language: {
                "accuracy": round(sum(t == p for t, p in pairs) / len(pairs), 4),
                "macro_f1": round(macro_f1(pairs), 4),
                "faq_accuracy": round(faq_right[language] / max(1, faq_all[language]), 4),
            }
            for language, pairs in sorted(per_language.items())
        },
        "parse_p50_ms": round(statistics.median(ordered), 2),
        "parse_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
    }


def report(name: str, figures: dict[str, Any]) -> None:
    """A readable table of one pipeline's figures."""
    print(
        f"\n{name}: accuracy {figures['accuracy']:.1%}, macro-F1 {figures['macro_f1']:.3f}, "
        f"FAQ {figures['faq_accuracy']:.1%}, fallback {figures['fallback_rate']:.1%}, "
        f"parse p50 {figures['parse_p50_ms']} ms p95 {figures['parse_p95_ms']} ms"
        + (
            f", sentence encoder run on {figures['encoder_share']:.1%} of the parses"
            if "encoder_share" in figures
            else ""
        ),
        flush=True,
    )
    for language, row in figures["per_language"].items():
        print(
            f"  {language}: accuracy {row['accuracy']:.1%}  macro-F1 {row['macro_f1']:.3f}"
            f"  FAQ {row['faq_accuracy']:.1%}",
            flush=True,
        )


def main() -> None:
    """Run the benchmark and print a table and a JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--baseline-folds",
        type=int,
        default=5,
        help="folds to run for Rasa's default pipeline (0 to skip)",
    )
    parser.add_argument(
        "--latency-only",
        type=int,
        metavar="N",
        help="only time N parses on the trained model of the seed content (`primm nlu train`)",
    )
    parser.add_argument(
        "--baseline-only",
        action="store_true",
        help="measure only Rasa's default pipeline (it trains for tens of minutes a fold)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="primm-bench-") as tmp:
        work = Path(tmp)
        engine = make_engine(f"sqlite:///{work / 'bench.db'}")
        upgrade(engine)
        with make_sessionmaker(engine).begin() as session:
            load_seed(session)
            items = examples(session)
            categories = {f.slug: f.category_key for f in session.query(Faq)}
        engine.dispose()
        if args.latency_only:
            print(json.dumps(latency(items[:: max(1, len(items) // args.latency_only)])))
            return
        # Uncovered-topic examples train every fold; bench/out_of_scope.py tests them by topic.
        covered = [item for item in items if not item.topic]
        negatives = [item for item in items if item.topic]
        parts = folds(covered, args.folds)
        print(
            f"{len(covered)} examples, {len({i.label for i in covered})} labels, {args.folds} "
            f"folds (+{len(negatives)} uncovered-topic examples in every training)",
            flush=True,
        )
        result: dict[str, Any] = {}
        if not args.baseline_only:
            full_dir = work / "full"
            full_dir.mkdir()
            data, domain = write_data(full_dir, items)
            full_seconds = train(PIPELINE, data, domain, full_dir, "full")
            print(f"  training on all seed content: {full_seconds:.0f} s", flush=True)
            result = {
                "pipeline": "nlu/config.yml",
                "train_seconds_full": round(full_seconds, 1),
                **evaluate(PIPELINE, parts, args.folds, categories, work, negatives),
            }
            report("nlu/config.yml", result)
        if args.baseline_folds:
            result["baseline"] = {
                "pipeline": "Rasa default (bench/default_config.yml)",
                **evaluate(
                    DEFAULT_PIPELINE, parts, args.baseline_folds, categories, work, negatives
                ),
            }
            report("Rasa default pipeline", result["baseline"])
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
