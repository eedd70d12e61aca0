"""With the real Rasa server: a short follow-up keeps the topic answered last; a question of its
own starts afresh; something the bot does not cover stays declined."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from content.loader import seed_intents
from dialogue.core import Dialogue, Turn
from dialogue.payloads import ShowFaq, encode
from dialogue.understanding import Decision, Understander
from shared.vocabulary import FOLLOW_UP_INTENT, LANGUAGES
from storage.users import UserState
from tests.support.content import translation
from tests.support.conversation import Talk

# "How much?" as each language's users type it (the seed's first follow-up example).
HOW_MUCH = {
    language: seed_intents().conversation[FOLLOW_UP_INTENT][language][0] for language in LANGUAGES
}


async def answered_or_tapped(talk: Talk, seeded: sessionmaker[Session], slug: str) -> Turn:
    """The FAQ's own question, answered, or asked about with it first and then tapped."""
    language = talk.state.language
    opening = await talk.text(translation(seeded, slug, language).question)
    if opening.decision is Decision.CLARIFY and opening.offered[:1] == [f"faq/{slug}"]:
        opening = await talk.button(encode(ShowFaq(slug)))
    assert talk.state.last_faq == slug, f"{language}: {slug} neither answered nor offered first"
    return opening


@pytest.mark.parametrize(
    ("language", "slug", "then", "category"),
    [
        ("en", "permit_renewal", "what documents?", "residence_permit"),
    ],
)
async def test_a_short_follow_up_is_answered_on_the_topic_answered_last(
    dialogue: Dialogue,
    seeded: sessionmaker[Session],
    language: str,
    slug: str,
    then: str,
    category: str,
) -> None:
    talk = Talk(dialogue, UserState(language))
    opening = await talk.text(translation(seeded, slug, language).question)
    assert opening.decision is Decision.ANSWER and talk.state.last_faq == slug
    alone = await dialogue.handle_text(UserState(language), then)
    assert alone.understanding is not None
    assert alone.understanding.faq is None, "the follow-up alone must need its context"
    turn = await talk.text(then)
    assert turn.decision is Decision.ANSWER
    assert turn.understanding is not None and turn.understanding.category == category


@pytest.mark.parametrize("language", LANGUAGES)
async def test_how_much_after_the_free_courses_keeps_the_courses_in_every_language(
    dialogue: Dialogue, seeded: sessionmaker[Session], language: str
) -> None:
    talk = Talk(dialogue, UserState(language))
    await answered_or_tapped(talk, seeded, "italian_courses_free")
    alone = await dialogue.handle_text(UserState(language), HOW_MUCH[language])
    assert alone.understanding is not None and Understander.follows(alone.understanding)
    assert alone.replies[-1].buttons, "a new user is asked for the whole question, with the menu"
    turn = await talk.text(HOW_MUCH[language])
    assert turn.decision is Decision.ANSWER
    assert turn.understanding is not None and turn.understanding.category == "language_courses"
    assert turn.language == language


async def test_a_question_of_its_own_after_an_answer_starts_afresh(
    dialogue: Dialogue, seeded: sessionmaker[Session]
) -> None:
    talk = Talk(dialogue, UserState("it"))
    await talk.text(translation(seeded, "italian_courses_free", "it").question)
    turn = await talk.text("come rinnovo il permesso di soggiorno?")
    assert turn.understanding is not None and turn.understanding.category == "residence_permit"


async def test_what_the_bot_does_not_cover_stays_declined_after_an_answer(
    dialogue: Dialogue, seeded: sessionmaker[Session]
) -> None:
    talk = Talk(dialogue, UserState("en"))
    await talk.text(translation(seeded, "permit_renewal", "en").question)
    turn = await talk.text("set an alarm for 7am")
    assert turn.decision is Decision.DECLINE


async def test_after_a_danger_answer_a_message_it_cannot_place_is_read_with_it(
    dialogue: Dialogue, seeded: sessionmaker[Session]
) -> None:
    slug, then = "violence_stalking_1522", "where can i go tonight with my kids"
    alone = await dialogue.handle_text(UserState("en"), then)
    assert alone.decision is Decision.DECLINE, "alone it names nothing the bot can place"
    talk = Talk(dialogue, UserState("en"))
    opening = await talk.text(translation(seeded, slug, "en").question)
    assert opening.decision is Decision.ANSWER and talk.state.last_faq == slug
    turn = await talk.text(then)
    assert turn.decision is Decision.ANSWER
    assert turn.understanding is not None and turn.understanding.faq == slug
