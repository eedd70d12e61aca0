"""`primm ask` keeps its contract: one JSON object per question, Rasa or search."""

from __future__ import annotations

import json
import subprocess

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from shared.vocabulary import CATEGORIES, CONVERSATION
from storage.inbox import InboxQuestion
from storage.users import MessageCount
from testbed.rasa import free_port
from tests.support.cli import run_primm

FIELDS = {
    "text",
    "language",
    "category",
    "faq",
    "province",
    "confidence",
    "engine",
    "answer",
    "answered",
    # Added for the three decisions and the risk check; none of the above changed.
    "decision",
    "options",
    "risk",
    "risk_sure",
    # Added for short answers first.
    "details",
}


def run(
    seeded: sessionmaker[Session], url: str, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run_primm(seeded, url, "ask", *args, stdin=stdin)


def test_one_question(seeded: sessionmaker[Session], rasa_url: str) -> None:
    result = run(seeded, rasa_url, "--lang", "en", "I want to learn Italian in Fermo")
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    answer = json.loads(lines[0])
    assert set(answer) == FIELDS
    assert answer["engine"] == "rasa"
    assert answer["category"] == "language_courses"
    assert answer["province"] == "FM"
    assert answer["language"] == "en"
    assert 0 <= answer["confidence"] <= 1 and answer["answer"]
    assert answer["answered"] is True


def test_questions_from_stdin_in_order(seeded: sessionmaker[Session], rasa_url: str) -> None:
    asked = ["permesso di soggiorno scaduto", "", "مرحبا", "🙏", "如何找到家庭医生"]
    result = run(seeded, rasa_url, stdin="\n".join(asked) + "\n")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["text"] for a in answers] == asked
    for answer in answers:
        assert set(answer) == FIELDS
        assert answer["category"] in (None, *CATEGORIES, *CONVERSATION)
        assert answer["province"] in (None, "AN", "AP", "FM", "MC", "PU")
        assert answer["answer"]
    assert answers[0]["category"] == "residence_permit"
    assert answers[2]["language"] == "ar"
    assert answers[0]["answered"] is True and answers[3]["answered"] is False
    # An FAQ answer shows its short text first and offers the rest; a greeting has no details.
    assert answers[0]["details"] is True and answers[2]["details"] is False


def test_unreachable_server_uses_search(seeded: sessionmaker[Session]) -> None:
    result = run(
        seeded,
        f"http://127.0.0.1:{free_port()}",
        "--lang",
        "uk",
        "як записатися до сімейного лікаря",
    )
    answer = json.loads(result.stdout)
    assert answer["engine"] == "search"
    assert answer["category"] == "health"
    assert "search" in result.stderr


def test_questions_asked_are_not_counted_as_users(seeded: sessionmaker[Session]) -> None:
    def kept() -> list[int]:
        with seeded() as session:
            return [
                session.scalar(select(func.count()).select_from(table)) or 0
                for table in (MessageCount, InboxQuestion)
            ]

    before = kept()
    run(seeded, f"http://127.0.0.1:{free_port()}", stdin="licenza di pesca ad ancona\nciao\n")
    assert kept() == before
