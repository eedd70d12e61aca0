"""Danger first, then answer, ask which one, or decline: with the real Rasa server and the real
risk check, and with Rasa down."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.repository import published_translations
from content.risks import risks
from dialogue.app import build_dialogue
from dialogue.core import Dialogue
from dialogue.payloads import ShowFaq, encode
from dialogue.understanding import Decision
from nlu.client import Parse
from shared.i18n import translations
from shared.settings import Settings
from storage.content import Faq, Service
from storage.users import UserState
from testbed.fakes import FakeNlu
from tests.support.cli import run_primm

# Written for this test, apart from the training examples and the benchmark's held-out set: one
# message a language or script, as a frightened person would type it.
IN_DANGER = [
    ("it", "violence", "il mio ragazzo mi ha picchiata di nuovo e ora ho paura di stare in casa"),
    ("en", "medical", "my baby is 8 months and has 40 fever tonight and is shaking"),
    ("fr", "medical", "mon bebe a de la fievre la nuit ou aller"),
    ("ar", "violence", "زوجي يضربني كل يوم ماذا افعل"),
    ("sq", "medical", "djali ka temperature te larte naten"),
    ("uk", "trafficking", "роботодавець забрав мій паспорт і не відпускає з ферми"),
    ("zh", "child", "邻居一直打他的小孩，孩子哭得很厉害"),
    ("ur", "violence", "میرا شوہر مجھے مارتا ہے، میں کیا کروں"),
    ("bn", "trafficking", "মালিক আমার পাসপোর্ট রেখে দিয়েছে, যেতে দেয় না"),
    (
        "es",
        "child",
        "hay un niño solo en la estación de ancona llorando, no encuentra a sus padres",
    ),
    ("ur", "violence", "shohar marta hai kya karu"),
    ("bn", "violence", "amar jamai amake prottek rat e mare"),
    ("ar", "violence", "jouzi y9atalni kol nhar"),
]


def numbers(seeded: sessionmaker[Session], kind: str) -> list[str]:
    """The phones of the emergency services a danger class shows."""
    with seeded() as session:
        services = {
            s.slug: s.phone for s in session.scalars(select(Service)) if s.slug and s.phone
        }
    return [services[slug] for slug in risks().classes[kind].numbers]


@pytest.mark.rasa
@pytest.mark.parametrize(("language", "kind", "text"), IN_DANGER)
async def test_a_person_in_danger_reads_the_numbers_first(
    dialogue: Dialogue, seeded: sessionmaker[Session], language: str, kind: str, text: str
) -> None:
    turn = await dialogue.handle_text(UserState(language), text)
    first = turn.replies[0].text
    assert turn.danger is not None and kind in turn.danger.kinds, "the risk check saw it"
    for phone in numbers(seeded, kind):
        assert phone in first
    if turn.danger.sure:
        assert risks().classes[turn.danger.kinds[0]].message[turn.language] in first
    assert len(turn.replies) >= 2, "whatever else the message asked still gets its reply"


@pytest.mark.parametrize(("language", "kind", "text"), IN_DANGER[:4])
async def test_danger_comes_first_with_rasa_down_and_the_question_declined(
    settings: Settings, seeded: sessionmaker[Session], language: str, kind: str, text: str
) -> None:
    dialogue = build_dialogue(settings, seeded, FakeNlu(down=True), record=False)
    turn = await dialogue.handle_text(UserState(language), text)
    assert turn.danger is not None and kind in turn.danger.kinds
    assert all(phone in turn.replies[0].text for phone in numbers(seeded, kind))


@pytest.mark.rasa
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "come posso iscrivere mio figlio a scuola?"),
        ("en", "my wife is pregnant, where does she do the check-ups?"),
        ("fr", "quels vaccins pour mon enfant de 2 ans"),
        ("es", "donde renuevo el permiso de soggiorno en macerata"),
    ],
)
async def test_a_routine_question_raises_no_alarm(
    dialogue: Dialogue, language: str, text: str
) -> None:
    turn = await dialogue.handle_text(UserState(language), text)
    assert turn.danger is None or not turn.danger.sure, "at most the numbers in one line"
    assert "⚠️" not in turn.replies[0].text


def faq_question(seeded: sessionmaker[Session], slug: str, language: str) -> str:
    with seeded() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == slug)).one()
        return published_translations(faq)[language].question


async def test_unsure_between_covered_faqs_asks_which_one_never_i_dont_know(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    text = "servono soldi per il corso?"
    ranking = [("italian_courses_free", 0.41), ("cpia_enrolment", 0.33), ("italian_levels", 0.1)]
    parse = Parse("faq", 0.7, [("faq", 0.7)], "italian_courses_free", 0.41, ranking, 0.9)
    dialogue = build_dialogue(settings, seeded, FakeNlu({text: parse}), record=False)
    turn = await dialogue.handle_text(UserState("it"), text)
    assert turn.decision is Decision.CLARIFY
    assert turn.offered == [f"faq/{slug}" for slug, _ in ranking]
    reply = turn.replies[-1]
    _ = translations("it").gettext
    assert reply.text == _("Is your question one of these? Choose one, or talk to a person.")
    assert "I have no information" not in reply.text and "Non ho informazioni" not in reply.text
    labels = [button.label for button in reply.buttons]
    assert labels[0].rstrip("…") in faq_question(seeded, "italian_courses_free", "it")
    assert reply.buttons[0].payload == encode(ShowFaq("italian_courses_free"))
    assert labels[-1] == _("Talk to a person")


@pytest.mark.rasa
async def test_covered_questions_typed_loosely_are_answered_or_offered(dialogue: Dialogue) -> None:
    # From the issue; "I corsi del CPIA sono gratuti?" (0.19) is still declined: under the
    # clarify point the held-out folds chose (README, "Three decisions").
    for text, slug in [("我需要免费的律师", "free_legal_aid")]:
        turn = await dialogue.handle_text(UserState("it"), text)
        assert turn.understanding is not None
        assert turn.decision is not Decision.DECLINE, text
        if turn.decision is Decision.ANSWER:
            assert turn.understanding.faq == slug, text
        else:
            assert f"faq/{slug}" in turn.offered, text


@pytest.mark.rasa
@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "set an alarm for 7 am tomorrow"), ("it", "chi ha vinto i mondiali nel 2006?")],
)
async def test_what_is_not_about_life_here_is_declined(
    dialogue: Dialogue, language: str, text: str
) -> None:
    turn = await dialogue.handle_text(UserState(language), text)
    assert turn.decision is Decision.DECLINE
    assert turn.danger is None or not turn.danger.sure, "at most the numbers in one line"


@pytest.mark.rasa
def test_primm_ask_prints_the_decision_the_options_and_the_danger(
    seeded: sessionmaker[Session], rasa_url: str
) -> None:
    lines = run_primm(
        seeded,
        rasa_url,
        "ask",
        "--lang",
        "ur",
        stdin="shohar marta hai kya karu\nset an alarm for 7 am tomorrow\n",
    ).stdout.splitlines()
    danger, alarm = (json.loads(line) for line in lines)
    assert danger["risk"] and danger["risk"][0] == "violence" and danger["risk_sure"]
    assert alarm["decision"] == "decline" and alarm["answered"] is False
    for result in (danger, alarm):
        assert result["decision"] in {"answer", "clarify", "decline"}
        assert result["answered"] == (result["decision"] == "answer")
        assert all(set(option) == {"faq", "category"} for option in result["options"])
