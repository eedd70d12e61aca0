"""`primm ask`: one JSON object per question, a stable contract benchmarks rely on."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from dialogue.core import Dialogue
from dialogue.payloads import ShowDetails, decode
from dialogue.understanding import Decision
from storage.users import UserState


async def answer(dialogue: Dialogue, text: str, language: str) -> dict[str, Any]:
    """The contract's fields for one question: `answer` is what the user sees first (short
    texts, offices in brief); `details` says a "More details" button offers the rest."""
    turn = await dialogue.handle_text(UserState(language=language), text)
    understood = turn.understanding
    return {
        "text": text,
        "language": turn.language,
        "category": understood.category if understood else None,
        "faq": understood.faq if understood else None,
        "province": understood.province if understood else None,
        "confidence": round(understood.confidence, 4) if understood else 0.0,
        "engine": understood.engine if understood else None,
        "answer": "\n\n".join(reply.text for reply in turn.replies),
        "answered": turn.decision is Decision.ANSWER,
        "decision": turn.decision.value if turn.decision else None,
        "options": [_option(dialogue, target) for target in turn.offered],
        "risk": turn.danger.kinds if turn.danger else [],
        "risk_sure": turn.danger is not None and turn.danger.sure,
        "details": any(
            isinstance(decode(button.payload), ShowDetails)
            for reply in turn.replies
            for button in reply.buttons
        ),
    }


def _option(dialogue: Dialogue, target: str) -> dict[str, str | None]:
    if target.startswith("faq/"):
        slug = target.removeprefix("faq/")
        return {"faq": slug, "category": dialogue.content.faq_category(slug)}
    return {"faq": None, "category": target}


async def ask_all(
    dialogue: Dialogue, questions: Iterable[str], language: str, out: TextIO = sys.stdout
) -> int:
    """Answer questions in order, one JSON line each; returns how many were answered."""
    count = 0
    for question in questions:
        result = await answer(dialogue, question.rstrip("\n"), language)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
        count += 1
    return count
