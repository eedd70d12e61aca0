"""Language detection on the seed questions: found, kept and wrongly switched, and its memory.

Every FAQ question and example of the seed is asked once by a user set to each other language.
The detector (`dialogue/language.py`) either finds the message's language, keeps the user's
(too short or not sure), or switches to a third language: the error that matters, since the
answer then comes in a language the person did not write. Arabic and Urdu share a script and
are told apart by their letters: that rule is scored on its own, on the questions written
in that script (romanised Urdu is Latin). The last line printed is one
JSON object.

    .venv/bin/python -m bench.language
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.out_of_scope import sessions_with_seed
from dialogue.language import MIN_CONFIDENCE, LanguageDetector, arabic_or_urdu
from nlu.training_data import examples
from shared.vocabulary import LANGUAGES


def peak_mb() -> float:
    """This process's peak resident memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Ask every seed question as every other language's user; print the counts."""
    with tempfile.TemporaryDirectory(prefix="primm-bench-") as tmp:
        sessions = sessions_with_seed(Path(tmp) / "bench.db")
        with sessions() as session:
            questions = [item for item in examples(session) if item.label.startswith("faq/")]
    before = peak_mb()
    detector = LanguageDetector()
    detector_mb = peak_mb() - before
    counts: Counter[str] = Counter()
    by_language: dict[str, Counter[str]] = {code: Counter() for code in LANGUAGES}
    started = time.perf_counter()
    for item in questions:
        for user in LANGUAGES:
            if user == item.language:
                continue
            chosen = detector.choose(item.text, user)
            outcome = (
                "found" if chosen == item.language else "kept" if chosen == user else "switched"
            )
            counts[outcome] += 1
            by_language[item.language][outcome] += 1
    seconds = time.perf_counter() - started
    asked = sum(counts.values())
    arabic_script = [
        item
        for item in questions
        if item.language in ("ar", "ur") and any("\u0600" <= ch <= "\u06ff" for ch in item.text)
    ]
    letters = Counter(
        (item.language, arabic_or_urdu(item.text) == item.language) for item in arabic_script
    )
    result = {
        "questions": len(questions),
        "asked": asked,
        "min_confidence": MIN_CONFIDENCE,
        "found": counts["found"],
        "kept": counts["kept"],
        "switched_wrongly": counts["switched"],
        "per_language": {code: dict(row) for code, row in by_language.items()},
        "arabic_or_urdu_by_letters": {
            code: f"{letters[(code, True)]} of {letters[(code, True)] + letters[(code, False)]}"
            for code in ("ar", "ur")
        },
        "ms_per_message": round(1000 * seconds / asked, 3),
        "detector_mb": round(detector_mb, 1),
    }
    print(
        f"{len(questions)} seed questions, each asked by a user of each other language "
        f"({asked}): found {counts['found']}, kept the user's {counts['kept']}, "
        f"switched wrongly {counts['switched']} ({counts['switched'] / asked:.1%})"
    )
    for code, row in by_language.items():
        total = sum(row.values())
        print(
            f"  {code}: found {row['found'] / total:6.1%}  kept {row['kept'] / total:6.1%}  "
            f"switched wrongly {row['switched'] / total:5.1%}"
        )
    print(f"Arabic or Urdu by their letters: {result['arabic_or_urdu_by_letters']}")
    print(
        f"{result['ms_per_message']} ms a message; the detector added "
        f"{result['detector_mb']} MB to the peak resident memory"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
