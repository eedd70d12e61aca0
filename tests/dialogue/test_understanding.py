"""Routing decisions from Rasa's parse, and the search fallback."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from content.places import gazetteer
from content.repository import ContentRepository
from dialogue.understanding import Decision, Understander
from nlu.client import Parse
from shared.settings import Settings
from testbed.fakes import FakeNlu


def understander(settings: Settings, seeded: sessionmaker[Session], nlu: FakeNlu) -> Understander:
    return Understander(
        nlu,
        ContentRepository(seeded),
        gazetteer(),
        settings.nlu.confidence_threshold,
        settings.search.min_score,
        settings.nlu.similarity_threshold,
        settings.nlu.clarify_confidence,
        settings.nlu.clarify_similarity,
        settings.search.min_lead,
    )


async def test_rasa_fallback_keeps_the_runner_up_as_an_unsure_guess(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    parse = Parse("nlu_fallback", 0.3, [("nlu_fallback", 0.3), ("health", 0.25)])
    routed = understander(settings, seeded, FakeNlu({"x y z": parse}))
    result = await routed.understand("x y z")
    assert result.category == "health" and result.engine == "rasa"
    assert not routed.confident(result)


async def test_a_retrieval_intent_without_faq_is_no_category(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    parse = Parse("nlu_fallback", 0.3, [("nlu_fallback", 0.3), ("faq", 0.2)])
    result = await understander(settings, seeded, FakeNlu({"q": parse})).understand("q")
    assert result.category is None and result.faq is None


async def test_after_a_failure_search_answers_without_waiting_for_rasa(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    nlu = FakeNlu(down=True)
    routed = understander(settings, seeded, nlu)
    first = await routed.understand("medico di base")
    second = await routed.understand("scegliere il medico di famiglia")
    assert first.engine == second.engine == "search"
    assert nlu.seen == ["medico di base"]  # the second message did not wait for Rasa
    assert second.category == "health"


RANKING = [("italian_courses_free", 0.5), ("cpia_enrolment", 0.3), ("italian_levels", 0.2)]


async def test_three_decisions_answer_ask_which_one_or_decline(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    sure = Parse("faq", 0.95, [("faq", 0.95)], "italian_courses_free", 0.9, RANKING, 0.95)
    unsure = Parse("faq", 0.8, [("faq", 0.8)], "italian_courses_free", 0.5, RANKING, 0.9)
    far = Parse("faq", 0.8, [("faq", 0.8)], "italian_courses_free", 0.5, RANKING, 0.5)
    alone = Parse("faq", 0.8, [("faq", 0.8)], "italian_courses_free", 0.5, RANKING[:1], 0.9)
    outside = Parse("out_of_scope", 0.9, [("out_of_scope", 0.9)], similarity=0.95)
    table = {"a": sure, "b": unsure, "c": far, "d": alone, "e": outside}
    routed = understander(settings, seeded, FakeNlu(table))
    decided = {text: routed.decide(await routed.understand(text)) for text in table}
    assert decided == {
        "a": Decision.ANSWER,
        "b": Decision.CLARIFY,  # 0.4: under the answer point, near covered content
        "c": Decision.DECLINE,  # far from every example of its label
        "d": Decision.DECLINE,  # one FAQ alone is no choice to offer
        "e": Decision.DECLINE,
    }
    assert routed.options(await routed.understand("b")) == [slug for slug, _ in RANKING]


async def test_with_rasa_down_two_faqs_that_share_the_words_are_offered_not_guessed(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    routed = understander(settings, seeded, FakeNlu(down=True))
    tied = await routed.understand("how do i renew my residence permit")
    assert routed.decide(tied) is Decision.CLARIFY
    assert {"permit_renewal", "medical_treatment_permit"} <= set(routed.options(tied))
    clear = await routed.understand("centro antiviolenza")  # one FAQ holds these words
    assert routed.decide(clear) is Decision.ANSWER and clear.faq == "violence_stalking_1522"


async def test_ciao_is_hello_or_goodbye_and_either_is_answered_but_a_topic_is_not_guessed(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    ciao = Parse("greeting", 0.59, [("greeting", 0.59), ("goodbye", 0.37), ("faq", 0.03)])
    torn = Parse("greeting", 0.5, [("greeting", 0.5), ("housing", 0.45), ("goodbye", 0.05)])
    routed = understander(settings, seeded, FakeNlu({"ciao": ciao, "hi house": torn}))
    said = await routed.understand("ciao")
    assert routed.decide(said) is Decision.ANSWER and said.category == "greeting"
    assert routed.decide(await routed.understand("hi house")) is not Decision.ANSWER
