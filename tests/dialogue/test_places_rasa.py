"""With the real Rasa server: answers name the place asked about, follow-ups and offices named."""

from __future__ import annotations

import pytest
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from dialogue.core import Dialogue
from dialogue.replies import Reply
from shared.vocabulary import LANGUAGES
from storage.content import Faq, Service
from storage.users import UserState
from tests.support.content import shown_first, translation
from tests.support.conversation import Talk

PROVINCE_NAMES = {"AN": "Ancona", "AP": "Ascoli Piceno", "FM": "Fermo", "MC": "Macerata"}


def offices(reply: Reply) -> list[str]:
    """The offices a reply lists, in order: each one's paragraph starts with 🏢."""
    return [line.removeprefix("🏢 ") for line in reply.text.splitlines() if line.startswith("🏢 ")]


def offices_in(
    seeded: sessionmaker[Session], category: str, province: str, slug: str | None = None
) -> set[str]:
    """What a person finds for a topic in a province, national offices included: after an FAQ
    that names the kinds of office serving it, those; else the category's."""
    with seeded() as session:
        kinds = session.scalars(select(Faq.offices).where(Faq.slug == slug)).first() or []
        query = select(Service.name).where(
            Service.kind.in_(kinds) if kinds else Service.category_key == category,
            or_(Service.province == province, Service.province.is_(None)),
        )
        return set(session.scalars(query))


def assert_answer_then_offices(
    seeded: sessionmaker[Session],
    replies: list[Reply],
    slug: str,
    language: str,
    category: str,
    province: str,
) -> None:
    """The FAQ's answer, then the province's offices, without asking for the place again."""
    answer, listed = replies
    assert shown_first(translation(seeded, slug, language)) in answer.text
    assert not [b for b in answer.buttons if b.payload.startswith("cat:")], "no 'which province?'"
    assert PROVINCE_NAMES[province] in listed.text.splitlines()[0]
    assert set(offices(listed)) == offices_in(seeded, category, province, slug)


RENEWAL, COURSES = "permit_renewal", "italian_courses_free"
CATEGORY = {RENEWAL: "residence_permit", COURSES: "language_courses"}


@pytest.mark.rasa
@pytest.mark.parametrize(
    ("language", "text", "slug", "province"),
    [
        ("it", "Come rinnovo il permesso di soggiorno a Fermo?", RENEWAL, "FM"),
        ("fr", "Comment renouveler mon permis de séjour à Fermo ?", RENEWAL, "FM"),
        ("zh", "在费尔莫怎么续签居留许可？", RENEWAL, "FM"),
        ("uk", "Як продовжити дозвіл на проживання у Фермо?", RENEWAL, "FM"),
        ("es", "¿Cómo renuevo mi permiso de residencia en Fermo?", RENEWAL, "FM"),
        ("en", "where can I learn Italian for free? I live in Macerata", COURSES, "MC"),
        ("ur", "ماچیراتا میں مفت اطالوی کہاں سیکھ سکتا ہوں؟", COURSES, "MC"),
        ("sq", "ku mund të mësoj italisht falas në Macerata?", COURSES, "MC"),
        ("bn", "মাচেরাতাতে বিনামূল্যে ইতালীয় ভাষা কোথায় শিখতে পারি?", COURSES, "MC"),
    ],
)
async def test_a_question_naming_a_town_gets_its_offices_below_the_answer(
    dialogue: Dialogue,
    seeded: sessionmaker[Session],
    language: str,
    text: str,
    slug: str,
    province: str,
) -> None:
    turn = await dialogue.handle_text(UserState(language), text)
    assert turn.understanding is not None and turn.understanding.faq == slug
    assert_answer_then_offices(seeded, turn.replies, slug, language, CATEGORY[slug], province)
    if slug == COURSES:
        assert f"CPIA {PROVINCE_NAMES[province]}" in turn.replies[1].text.split("🏢")[0]


@pytest.mark.rasa
@pytest.mark.parametrize(
    ("language", "text", "area"),
    [
        ("en", "How do I renew my residence permit?", "MC"),
        ("it", "Come rinnovo il permesso di soggiorno?", "AP"),
        ("ar", "كيف أجدد تصريح الإقامة؟", "AN"),
    ],
)
async def test_the_stored_area_is_used_when_no_place_is_named(
    dialogue: Dialogue, seeded: sessionmaker[Session], language: str, text: str, area: str
) -> None:
    turn = await dialogue.handle_text(UserState(language, area), text)
    assert_answer_then_offices(seeded, turn.replies, RENEWAL, language, "residence_permit", area)


@pytest.mark.rasa
async def test_the_town_named_wins_over_the_stored_area_which_stays(
    dialogue: Dialogue, seeded: sessionmaker[Session]
) -> None:
    talk = Talk(dialogue, UserState("it", "AN", "Ancona"))
    turn = await talk.text("Come rinnovo il permesso di soggiorno a Fermo?")
    assert_answer_then_offices(seeded, turn.replies, RENEWAL, "it", "residence_permit", "FM")
    later = await talk.text("Come rinnovo il permesso di soggiorno?")
    assert_answer_then_offices(seeded, later.replies, RENEWAL, "it", "residence_permit", "AN")


@pytest.mark.rasa
@pytest.mark.parametrize(
    ("language", "first", "then", "province"),
    [
        ("it", "voglio imparare l'italiano", "e a Macerata?", "MC"),
        ("en", "I want to learn Italian", "and in Fermo?", "FM"),
        ("ar", "أريد أن أتعلم اللغة الإيطالية", "وفي فيرمو؟", "FM"),
    ],
)
async def test_a_follow_up_naming_only_a_place_answers_the_topic_there(
    dialogue: Dialogue,
    seeded: sessionmaker[Session],
    language: str,
    first: str,
    then: str,
    province: str,
) -> None:
    talk = Talk(dialogue, UserState(language))
    asked = await talk.text(first)
    assert asked.understanding is not None and asked.understanding.faq == COURSES
    [followed] = (await talk.text(then)).replies
    assert PROVINCE_NAMES[province] in followed.text.splitlines()[0]
    assert f"CPIA {PROVINCE_NAMES[province]}" in followed.text.split("🏢")[0], "its courses"
    assert set(offices(followed)) == offices_in(seeded, "language_courses", province, COURSES)


FOLLOW_UPS = {
    "it": ("e a Macerata?", "MC"),
    "en": ("and in Fermo?", "FM"),
    "fr": ("et à Ancona ?", "AN"),
    "ar": ("وفي فيرمو؟", "FM"),
    "sq": ("po në Fermo?", "FM"),
    "uk": ("а у Фермо?", "FM"),
    "zh": ("那在马切拉塔呢？", "MC"),
    "ur": ("اور فرمو میں؟", "FM"),
    "bn": ("আর আনকোনাতে?", "AN"),
    "es": ("¿y en Ascoli?", "AP"),
}


@pytest.mark.rasa
@pytest.mark.parametrize("language", LANGUAGES)
async def test_follow_ups_in_every_language_use_the_remembered_topic(
    dialogue: Dialogue, seeded: sessionmaker[Session], language: str
) -> None:
    text, province = FOLLOW_UPS[language]
    state = UserState(language, last_category="residence_permit")  # as kept in bot_users
    [followed] = (await dialogue.handle_text(state, text)).replies
    assert followed.language == language
    assert set(offices(followed)) == offices_in(seeded, "residence_permit", province)


@pytest.mark.rasa
async def test_a_place_with_a_question_of_its_own_is_a_new_topic_for_follow_ups(
    dialogue: Dialogue,
) -> None:
    talk = Talk(dialogue, UserState("it", last_category="language_courses"))
    turn = await talk.text("e la questura a Fermo?")
    assert offices(turn.replies[-1])[0] == "Questura di Fermo – Ufficio Immigrazione"
    [followed] = (await talk.text("e a Macerata?")).replies
    assert offices(followed)[0] == "Questura di Macerata – Ufficio Immigrazione", "the new topic"


@pytest.mark.rasa
@pytest.mark.parametrize(
    ("language", "text", "province"),
    [
        ("it", "dove si trova la questura di Ascoli?", "AP"),
        ("en", "where is the questura in Fermo?", "FM"),
        ("ar", "أين الكويستورا في أنكونا؟", "AN"),
        ("fr", "Où est la questura de Fermo ?", "FM"),
        ("zh", "费尔莫的警察局在哪里？", "FM"),
    ],
)
async def test_the_questura_asked_for_comes_first(
    dialogue: Dialogue, language: str, text: str, province: str
) -> None:
    turn = await dialogue.handle_text(UserState(language), text)
    listed = offices(turn.replies[-1])
    name = PROVINCE_NAMES[province]
    assert listed[0] == f"Questura di {name} – Ufficio Immigrazione"


@pytest.mark.rasa
async def test_the_questura_stays_first_once_the_province_is_chosen(dialogue: Dialogue) -> None:
    talk = Talk(dialogue, UserState("it"))
    [ask] = (await talk.text("dove si trova la questura?")).replies
    [macerata] = [b for b in ask.buttons if b.label == "Macerata"]
    [listed] = (await talk.button(macerata.payload)).replies
    assert offices(listed)[0] == "Questura di Macerata – Ufficio Immigrazione"
