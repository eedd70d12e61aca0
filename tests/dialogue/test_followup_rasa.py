"""With the real Rasa server: a short follow-up keeps the topic answered last; a question of its
own starts afresh; something the bot does not cover stays declined."""

from __future__ import annotations

import pytest

from dialogue.core import Dialogue
from dialogue.understanding import Decision
from storage.users import UserState

COURSES = "Dove posso imparare l'italiano ad Ancona?"


@pytest.mark.parametrize(
    ("language", "first", "then", "category"),
    [
        ("it", COURSES, "quanto costa?", "language_courses"),
        ("it", COURSES, "e la sera?", "language_courses"),
        ("en", "how do I renew my residence permit", "what documents?", "residence_permit"),
        ("fr", "je n'ai pas où dormir ce soir", "et avec mes enfants ?", "housing"),
    ],
)
async def test_a_short_follow_up_is_answered_on_the_topic_answered_last(
    dialogue: Dialogue, language: str, first: str, then: str, category: str
) -> None:
    state = UserState(language)
    opening = await dialogue.handle_text(state, first)
    assert opening.decision is Decision.ANSWER and state.last_faq
    alone = await dialogue.handle_text(UserState(language), then)
    assert alone.decision is not Decision.ANSWER, "the follow-up alone must need its context"
    turn = await dialogue.handle_text(state, then)
    assert turn.decision is Decision.ANSWER
    assert turn.understanding is not None and turn.understanding.category == category


async def test_a_question_of_its_own_after_an_answer_starts_afresh(dialogue: Dialogue) -> None:
    state = UserState("it")
    await dialogue.handle_text(state, COURSES)
    turn = await dialogue.handle_text(state, "come rinnovo il permesso di soggiorno?")
    assert turn.understanding is not None and turn.understanding.category == "residence_permit"


async def test_what_the_bot_does_not_cover_stays_declined_after_an_answer(
    dialogue: Dialogue,
) -> None:
    state = UserState("en")
    await dialogue.handle_text(state, "how do I renew my residence permit")
    turn = await dialogue.handle_text(state, "set an alarm for 7am")
    assert turn.decision is Decision.DECLINE
