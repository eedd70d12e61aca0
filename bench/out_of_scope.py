"""Questions the content does not cover: how many the bot answers anyway, with the wrong FAQ.

The dialogue core runs over the seed content and the real Rasa server on the model `primm nlu
train` made (`make model`); each question of `bench/out_of_scope.yml` (seven service-like topics
the seed does not cover, in all ten languages) is asked in its language. A question is
answered when the bot is confident and routes it (`Understander.answers`); the right reply is
to say it is not sure and offer a person. Reported per language, with what the wrong answers
were; the last line printed is one JSON object with every figure.

    .venv/bin/python -m bench.out_of_scope
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml

from content.db import make_engine, make_sessionmaker
from content.loader import load_seed
from content.migrate import upgrade
from dialogue.core import UserState
from nlu import runtime
from nlu.client import RasaClient
from primm.app import build_dialogue
from primm.settings import get_settings
from tests.support.rasa import rasa_server

QUESTIONS = Path(__file__).resolve().parent / "out_of_scope.yml"


async def ask_all(url: str, database: Path, questions: dict[str, list[str]]) -> dict[str, Any]:
    """Ask every question in its language; count and name the ones answered anyway."""
    settings = get_settings()
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        load_seed(session)
    rasa = RasaClient(url, settings.nlu.timeout_seconds)
    dialogue = build_dialogue(settings, sessions, rasa, record=False)
    by_language: dict[str, int] = {}
    wrong: list[str] = []
    try:
        for language, texts in questions.items():
            by_language[language] = 0
            for text in texts:
                turn = await dialogue.handle_text(UserState(language), text)
                understood = turn.understanding
                if understood is not None and dialogue.understander.answers(understood):
                    by_language[language] += 1
                    topic = understood.faq or understood.intent
                    wrong.append(f"{language}: {text} -> {topic} ({understood.confidence:.2f})")
    finally:
        await rasa.aclose()
        engine.dispose()
    asked = sum(len(texts) for texts in questions.values())
    answered = sum(by_language.values())
    return {
        "questions": asked,
        "answered": answered,
        "answered_share": round(answered / asked, 3),
        "threshold": settings.nlu.confidence_threshold,
        "by_language": by_language,
        "wrong": wrong,
    }


def main() -> None:
    """Start Rasa on the seed model, ask, print the wrong answers and a JSON line."""
    settings = get_settings()
    model = runtime.model_path(settings)
    if not model.exists():
        raise SystemExit(f"no model for the current training data ({model.name}): `make model`")
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    with (
        tempfile.TemporaryDirectory(prefix="primm-bench-") as tmp,
        rasa_server(settings, model) as (url, _process),
    ):
        result = asyncio.run(ask_all(url, Path(tmp) / "bench.db", questions))
    for line in result.pop("wrong"):
        print(line)
    print(
        f"answered anyway: {result['answered']} of {result['questions']} "
        f"({result['answered_share']:.0%}) at threshold {result['threshold']}"
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
