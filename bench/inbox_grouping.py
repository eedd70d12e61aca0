"""How well the inbox groups questions: the seed FAQs' example questions, grouped per language.

Each FAQ's question and eight examples are nine ways of asking one thing. Pairwise precision:
of the pairs put in one group, the share that ask the same FAQ; recall: of the pairs that ask
the same FAQ, the share put in one group. Prints a table per threshold and a JSON line.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import yaml

from admin.grouping import THRESHOLD, group
from content.loader import SEED_DIR


def seed_questions(seed_dir: Path = SEED_DIR) -> dict[str, list[tuple[str, str]]]:
    """(FAQ slug, text) pairs per language from the seed files."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in sorted((seed_dir / "faqs").glob("*.yaml")):
        for faq in yaml.safe_load(path.read_text(encoding="utf-8")):
            for language, translation in faq["translations"].items():
                for text in [translation["question"], *translation.get("examples", [])]:
                    found[language].append((faq["slug"], text))
    return found


def pair_scores(labels: list[str], groups: list[list[int]]) -> tuple[float, float]:
    """Pairwise precision and recall of a grouping against the labels."""
    together = {pair for members in groups for pair in combinations(sorted(members), 2)}
    same = {(i, j) for i, j in combinations(range(len(labels)), 2) if labels[i] == labels[j]}
    hits = len(together & same)
    return hits / max(len(together), 1), hits / max(len(same), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--thresholds", default=f"0.2,{THRESHOLD},0.3,0.35")
    args = parser.parse_args()
    questions = seed_questions()
    figures: dict[str, dict[str, list[float]]] = {}
    for threshold in (float(t) for t in args.thresholds.split(",")):
        row: dict[str, list[float]] = {}
        started = time.perf_counter()
        for language, pairs in sorted(questions.items()):
            labels = [slug for slug, _ in pairs]
            groups = group([text for _, text in pairs], threshold)
            precision, recall = pair_scores(labels, groups)
            row[language] = [round(precision, 3), round(recall, 3), len(groups)]
        seconds = time.perf_counter() - started
        figures[str(threshold)] = row
        print(f"threshold {threshold} ({seconds:.2f} s for {sum(map(len, questions.values()))})")
        for language, (precision, recall, count) in row.items():
            print(f"  {language}: precision {precision:.2f} recall {recall:.2f} groups {count}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
