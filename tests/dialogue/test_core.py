"""The dialogue core routes to content in the user's language, with fakes for the NLU server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from content.loader import load_seed
from content.repository import published_translations
from dialogue.app import build_dialogue
from dialogue.chats import Chats
from dialogue.core import Dialogue
from dialogue.payloads import (
    AskArea,
    AskPerson,
    SetArea,
    ShowCategory,
    ShowFaq,
    ShowNearby,
    SkipArea,
    Vote,
    encode,
)
from nlu.client import Parse
from shared.i18n import translations
from shared.settings import Settings
from shared.vocabulary import CATEGORIES, LANGUAGES, OFFICE_CATEGORIES, PROVINCES
from storage.content import Faq, Service
from storage.db import make_sessionmaker
from storage.inbox import InboxQuestion
from storage.users import Feedback, MessageCount, UserState
from testbed.fakes import FakeNlu
from tests.support.content import shown_first
from tests.support.conversation import NEW_CHAT
from tests.support.databases import fresh_engine


def make(settings: Settings, seeded: sessionmaker[Session], nlu: FakeNlu) -> Dialogue:
    return build_dialogue(settings, seeded, nlu)


def first_faq(seeded: sessionmaker[Session], category: str = "residence_permit") -> Faq:
    with seeded() as session:
        faq = session.scalars(select(Faq).where(Faq.category_key == category)).first()
        assert faq is not None
        _ = faq.translations
        return faq


@pytest.mark.parametrize("language", LANGUAGES)
async def test_faq_answer_in_users_language(
    settings: Settings, seeded: sessionmaker[Session], language: str
) -> None:
    faq = first_faq(seeded)
    question = published_translations(faq)[language].question
    nlu = FakeNlu({question: Parse("faq", 0.97, [("faq", 0.97)], faq.slug, 0.95)})
    turn = await make(settings, seeded, nlu).handle_text(UserState(language), question)
    expected = shown_first(published_translations(faq)[language])
    assert turn.language == language
    assert expected in turn.replies[-1].text
    assert turn.understanding is not None and turn.understanding.engine == "rasa"
    payloads = [b.payload for b in turn.replies[-1].buttons]
    assert encode(AskPerson(faq.category_key)) in payloads, "a person, about this topic"
    assert all(len(p.encode()) <= 64 for p in payloads)


async def test_missing_translation_falls_back_to_english_and_says_so(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    faq = first_faq(seeded)
    with seeded.begin() as session:
        for t in session.scalars(select(Faq).where(Faq.slug == faq.slug)).one().translations:
            if t.language == "sq":
                t.status = t.status.DRAFT
    try:
        dialogue = make(settings, seeded, FakeNlu())
        reply = dialogue.answers.faq_replies(faq.slug, "sq", None)[0]
        english = shown_first(published_translations(faq)["en"])
        assert english in reply.text
        assert reply.text.splitlines()[0] != english.splitlines()[0]  # a notice comes first
    finally:
        with seeded.begin() as session:
            for t in session.scalars(select(Faq).where(Faq.slug == faq.slug)).one().translations:
                t.status = t.status.PUBLISHED


@pytest.mark.parametrize(
    ("text", "category", "province"),
    [
        ("questura macerata", "residence_permit", "MC"),
        ("assistente sociale al Lido Tre Archi", "social_services", "FM"),  # a part of Fermo
    ],
)
async def test_category_lists_offices_of_the_named_province(
    settings: Settings, seeded: sessionmaker[Session], text: str, category: str, province: str
) -> None:
    nlu = FakeNlu({text: Parse(category, 0.9, [(category, 0.9)])})
    turn = await make(settings, seeded, nlu).handle_text(UserState("it"), text)
    with seeded() as session:
        offices = session.scalars(select(Service).where(Service.category_key == category)).all()
    lines = {line for r in turn.replies for line in r.text.splitlines()}
    listed = [office for office in offices if f"🏢 {office.name}" in lines]
    local = [office for office in offices if office.province == province]
    assert local and all(office in listed for office in local)
    assert all(office.province in (province, None) for office in listed), "no other province"
    assert turn.understanding is not None and turn.understanding.province == province


async def test_category_without_province_asks_for_one(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    turn = await make(settings, seeded, FakeNlu()).handle_button(
        UserState("ar"), encode(ShowCategory("health"))
    )
    payloads = [b.payload for b in turn.replies[-1].buttons]
    assert payloads == [encode(ShowCategory("health", p)) for p in ("AN", "AP", "FM", "MC", "PU")]


async def test_stored_province_filters_buttons(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    turn = await make(settings, seeded, FakeNlu()).handle_button(
        UserState("uk", province="FM"), encode(ShowCategory("work"))
    )
    assert "Fermo" in turn.replies[-1].text


async def test_low_confidence_offers_a_person_first_then_the_closest_topics(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    faq = first_faq(seeded, "health")
    text = "something vague about the doctor"
    parse = Parse("faq", 0.2, [("faq", 0.2), ("health", 0.1)], faq.slug, 0.3, [(faq.slug, 0.3)])
    turn = await make(settings, seeded, FakeNlu({text: parse})).handle_text(UserState("en"), text)
    buttons = turn.replies[-1].buttons
    assert buttons[0].payload == encode(AskPerson())
    assert encode(ShowFaq(faq.slug)) in [b.payload for b in buttons[1:]]
    assert len(buttons) <= 4
    assert "no information" in turn.replies[-1].text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_sure_guess_unlike_its_examples_is_not_answered(
    settings: Settings, seeded: sessionmaker[Session], language: str
) -> None:
    faq = first_faq(seeded, "health")
    translation = published_translations(faq)[language]
    answer, text = shown_first(translation), translation.question
    strict = settings.model_copy(
        update={"nlu": settings.nlu.model_copy(update={"similarity_threshold": 0.9})}
    )
    for similarity, answered in ((0.95, True), (0.8, False)):
        parse = Parse("faq", 0.99, [("faq", 0.99)], faq.slug, 0.99, similarity=similarity)
        dialogue = make(strict, seeded, FakeNlu({text: parse}))
        turn = await dialogue.handle_text(UserState(language), text)
        assert turn.understanding is not None
        assert dialogue.understander.answers(turn.understanding) is answered
        assert (answer in turn.replies[-1].text) is answered
        assert (turn.replies[-1].buttons[0].payload == encode(AskPerson())) is not answered


async def test_nlu_down_answers_from_search(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    faq = first_faq(seeded, "health")
    question = published_translations(faq)["zh"].question
    nlu = FakeNlu(down=True)
    turn = await make(settings, seeded, nlu).handle_text(UserState("zh"), question)
    assert turn.understanding is not None
    assert turn.understanding.engine == "search"
    assert turn.understanding.faq == faq.slug
    assert shown_first(published_translations(faq)["zh"]) in turn.replies[-1].text


async def test_message_in_another_language_is_answered_in_it_with_a_switch(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    faq = first_faq(seeded)
    question = published_translations(faq)["uk"].question
    nlu = FakeNlu({question: Parse("faq", 0.97, [("faq", 0.97)], faq.slug, 0.95)})
    turn = await make(settings, seeded, nlu).handle_text(UserState("it"), question)
    assert turn.language == "uk"
    assert turn.replies[-1].buttons[-1].payload == "lang:uk"


BAD_INPUTS = [
    "",
    "   ",
    "🙏🔥😭",
    "\u200f\u202e\u2066",
    "\x00\x01\x02",
    None,
    42,
    b"bytes",
    ["list"],
    "<b>hi</b><script>alert(1)</script>",
    "x" * 10_000,
]


@pytest.mark.parametrize("text", BAD_INPUTS, ids=[repr(x)[:20] for x in BAD_INPUTS])
@pytest.mark.parametrize("language", ["it", "ar", "zh"])
async def test_bad_input_gets_a_clear_reply(
    settings: Settings, seeded: sessionmaker[Session], text: object, language: str
) -> None:
    nlu = FakeNlu()
    turn = await make(settings, seeded, nlu).handle_text(UserState(language), text)
    assert turn.replies
    assert all(reply.text.strip() for reply in turn.replies)
    assert all(len(seen) <= settings.chat.max_message_chars for seen in nlu.seen)
    if isinstance(text, str) and len(text) > settings.chat.max_message_chars:
        assert str(settings.chat.max_message_chars) in turn.replies[0].text


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "faq:nope",
        "cat:nope",
        "cat:health:XX",
        "lang:xx",
        "💥" * 40,
        "menu",
        "services",
        "languages",
        encode(AskPerson()),
    ],
)
async def test_any_button_payload_gets_a_reply(
    settings: Settings, seeded: sessionmaker[Session], payload: str
) -> None:
    turn = await make(settings, seeded, FakeNlu()).handle_button(UserState("bn"), payload)
    assert turn.replies and all(r.text for r in turn.replies)
    assert turn.state is not None and turn.state.language == "bn"


async def test_language_button_switches(settings: Settings, seeded: sessionmaker[Session]) -> None:
    turn = await make(settings, seeded, FakeNlu()).handle_button(UserState("it"), "lang:ur")
    assert turn.state == UserState("ur") and turn.language == "ur"


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_category_and_language_renders(
    settings: Settings, seeded: sessionmaker[Session], category: str, language: str
) -> None:
    turn = await make(settings, seeded, FakeNlu()).handle_button(
        UserState(language, province="AN"), encode(ShowCategory(category))
    )
    reply = turn.replies[-1]
    assert reply.text and reply.buttons
    assert all(0 < len(b.payload.encode()) <= 64 for b in reply.buttons)


async def test_database_failure_gets_an_apology_not_a_crash(
    settings: Settings, tmp_path: object
) -> None:
    from storage.db import make_engine, make_sessionmaker

    broken = make_engine(f"sqlite:///{tmp_path}/never-migrated.db")
    dialogue = make(settings, make_sessionmaker(broken), FakeNlu(down=True))
    for turn in (
        await dialogue.handle_text(UserState("ur"), "میرا پرمٹ ختم ہو گیا"),
        await dialogue.handle_button(UserState("ur"), encode(ShowCategory("health", "AN"))),
    ):
        assert "112" in turn.replies[0].text
        assert turn.replies[0].buttons[-1].payload == encode(AskPerson())
    broken.dispose()


async def test_faq_answer_is_followed_by_the_offices_of_the_named_town(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    faq = first_faq(seeded)
    text = "rinnovo permesso a Porto San Giorgio"
    nlu = FakeNlu({text: Parse("faq", 0.97, [("faq", 0.97)], faq.slug, 0.95)})
    turn = await make(settings, seeded, nlu).handle_text(UserState("it"), text)
    answer, offices = turn.replies
    assert shown_first(published_translations(faq)["it"]) in answer.text
    assert "Questura di Fermo" in offices.text
    assert encode(ShowCategory(faq.category_key, "FM")) not in [b.payload for b in answer.buttons]


MACERATA = (43.3003, 13.4533)
ROME = (41.9028, 12.4964)


async def test_area_step_province_then_town(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = make(settings, seeded, FakeNlu())
    state = UserState("uk")
    [menu] = (await dialogue.handle_button(state, encode(AskArea()))).replies
    assert [b.payload for b in menu.buttons] == [
        *(encode(SetArea(p)) for p in ("AN", "AP", "FM", "MC", "PU")),
        encode(SkipArea()),
    ]
    assert menu.location is not None, "the user may share a location instead"

    turn = await dialogue.handle_button(state, encode(SetArea("MC")))
    assert state == UserState("uk"), "the core changes a copy: the turn carries it"
    [towns], state = turn.replies, turn.state
    assert state is not None and state.province == "MC" and state.comune is None
    chosen = [b.payload for b in towns.buttons if b.payload != encode(SkipArea())]
    assert encode(SetArea("MC", "Macerata")) in chosen
    assert all(p.startswith("area:MC:") for p in chosen)

    turn = await dialogue.handle_button(state, encode(SetArea("MC", "Macerata")))
    [done], state = turn.replies, turn.state
    assert state is not None and (state.province, state.comune) == ("MC", "Macerata")
    assert "Macerata" in done.text
    assert [b.payload for b in done.buttons] == [
        b.payload for b in dialogue.menus.main_menu("uk").buttons
    ]


async def test_a_town_of_another_province_is_refused(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    turn = await make(settings, seeded, FakeNlu()).handle_button(
        UserState("it", "MC"), encode(SetArea("MC", "Jesi"))
    )
    assert turn.state == UserState("it", "MC")


@pytest.mark.parametrize("text", ["Jesi", " jesi! ", "ييزي", "耶西", "Єзі"])
async def test_writing_only_a_town_sets_the_area(
    settings: Settings, seeded: sessionmaker[Session], text: str
) -> None:
    nlu = FakeNlu()
    turn = await make(settings, seeded, nlu).handle_text(UserState("it"), text)
    assert turn.state is not None and (turn.state.province, turn.state.comune) == ("AN", "Jesi")
    assert "Jesi" in turn.replies[0].text
    assert nlu.seen == [], "a town name needs no NLU"


async def test_feedback_is_kept_without_identity_and_a_no_offers_a_person(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = make(settings, seeded, FakeNlu())
    faq = first_faq(seeded)
    reply = dialogue.answers.faq_replies(faq.slug, "ar", None)[0]
    payloads = [b.payload for b in reply.buttons]
    assert encode(Vote(faq.slug, True)) in payloads
    assert encode(Vote(faq.slug, False)) in payloads
    with seeded() as session:
        before = session.scalar(select(func.count(Feedback.id)))
    chats = Chats(dialogue, seeded)
    turn = await chats.button(NEW_CHAT, UserState("ar"), encode(Vote(faq.slug, False)))
    assert encode(AskPerson()) in [b.payload for b in turn.replies[0].buttons]
    unknown = await chats.button(NEW_CHAT, UserState("ar"), encode(Vote("no_such_faq", True)))
    assert unknown.replies[0].text == dialogue.menus.main_menu("ar").text
    with seeded() as session:
        rows = session.scalars(select(Feedback).order_by(Feedback.id.desc())).all()
        assert len(rows) == (before or 0) + 1
        assert (rows[0].topic, rows[0].language, rows[0].helpful) == (
            f"faq/{faq.slug}",
            "ar",
            False,
        )
    assert {c.name for c in Feedback.__table__.columns} == {
        "id",
        "topic",
        "language",
        "helpful",
        "created_at",
    }


async def test_location_lists_the_nearest_offices_with_distance(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = make(settings, seeded, FakeNlu())
    state = UserState("en")
    [reply] = (await dialogue.handle_location(state, *MACERATA)).replies
    offices = reply.text.split("\n\n")[1:]
    assert len(offices) == 5
    assert "Macerata" in offices[0] and "0 km" in offices[0]
    assert encode(SetArea("MC", "Macerata")) in [b.payload for b in reply.buttons]
    assert state.province is None, "a location is not kept unless the user asks"

    health = encode(ShowNearby("health", *MACERATA))
    assert health in [b.payload for b in reply.buttons]
    [nearest] = (await dialogue.handle_button(state, health)).replies
    with seeded() as session:
        health_names = set(
            session.scalars(select(Service.name).where(Service.category_key == "health"))
        )
    listed = [part.splitlines()[0].removeprefix("🏢 ") for part in nearest.text.split("\n\n")[1:]]
    assert listed and set(listed) <= health_names


async def test_location_outside_the_region_says_so(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = make(settings, seeded, FakeNlu())
    [reply] = (await dialogue.handle_location(UserState("it"), *ROME)).replies
    outside = translations("it").gettext("You seem to be outside the Marche region.")
    assert reply.text.split("\n\n")[0] == outside
    assert not [b for b in reply.buttons if b.payload.startswith("area:")]
    bad = await dialogue.handle_location(UserState("it"), 999.0, 0.0)
    assert bad.replies[0].text == dialogue.menus.main_menu("it").text


@pytest.mark.parametrize("language", ["it", "uk", "en"])
def test_distances_are_written_in_the_users_locale(
    settings: Settings, seeded: sessionmaker[Session], language: str
) -> None:
    dialogue = make(settings, seeded, FakeNlu())
    reply = dialogue.lists.nearby_reply(language, 43.40, 13.55, "health")
    decimal = {"it": ",", "uk": ",", "en": "."}[language]
    assert decimal in reply.text.split("\n\n")[1].splitlines()[-1]


def _kept(seeded: sessionmaker[Session]) -> tuple[int, int, int]:
    """Counted questions, inbox questions and votes in the database."""
    with seeded() as session:
        counted = session.scalar(select(func.coalesce(func.sum(MessageCount.count), 0)))
        questions = session.scalar(select(func.count()).select_from(InboxQuestion))
        votes = session.scalar(select(func.count()).select_from(Feedback))
    return int(counted or 0), int(questions or 0), int(votes or 0)


@pytest.mark.parametrize("record", [True, False])
async def test_traffic_not_recorded_is_answered_the_same_and_leaves_nothing(
    settings: Settings, seeded: sessionmaker[Session], record: bool
) -> None:
    nlu = FakeNlu({"wie geht's": Parse("out_of_scope", 0.9, [("out_of_scope", 0.9)])})
    recording = Chats(make(settings, seeded, nlu), seeded)
    quiet = Chats(build_dialogue(settings, seeded, nlu, record=record), seeded)
    before = _kept(seeded)
    asked = [await c.text(NEW_CHAT, UserState("it"), "wie geht's") for c in (recording, quiet)]
    voted = [
        await c.button(NEW_CHAT, UserState("it"), encode(Vote(first_faq(seeded).slug, False)))
        for c in (recording, quiet)
    ]
    assert asked[0].replies == asked[1].replies and voted[0].replies == voted[1].replies
    per_dialogue = (1, 2, 1)  # a question counted; it and the 👎 in the inbox; the vote
    factor = 2 if record else 1
    assert _kept(seeded) == tuple(
        b + n * factor for b, n in zip(before, per_dialogue, strict=True)
    )


@pytest.mark.parametrize("province", PROVINCES)
@pytest.mark.parametrize("category", OFFICE_CATEGORIES)
async def test_every_topic_in_every_province_gives_an_office_and_a_person(
    settings: Settings, seeded: sessionmaker[Session], category: str, province: str
) -> None:
    language = LANGUAGES[(CATEGORIES.index(category) + PROVINCES.index(province)) % 10]
    turn = await make(settings, seeded, FakeNlu()).handle_button(
        UserState(language), encode(ShowCategory(category, province))
    )
    [reply] = turn.replies
    assert any(line.startswith(("🏢 ", "📘 ")) for line in reply.text.splitlines()), reply.text
    assert encode(AskPerson(category)) in [b.payload for b in reply.buttons]


async def test_a_province_without_an_office_shows_the_nearest_provinces_first(
    settings: Settings, tmp_path: Path
) -> None:
    engine = fresh_engine("sqlite", tmp_path)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        load_seed(session)
        fermo = (Service.category_key == "education") & (Service.province == "FM")
        session.execute(delete(Service).where(fermo))  # the seed has every topic everywhere
    with sessions() as session:
        offices = session.scalars(select(Service).where(Service.category_key == "education"))
        by_province: dict[str | None, set[str]] = {}
        for office in offices:
            by_province.setdefault(office.province, set()).add(f"🏢 {office.name}")
    assert "FM" not in by_province and "MC" in by_province, "the seed this test is about"
    turn = await make(settings, sessions, FakeNlu()).handle_button(
        UserState("en"), encode(ShowCategory("education", "FM"))
    )
    engine.dispose()
    [reply] = turn.replies
    assert "Fermo" in reply.text.splitlines()[0]
    assert "nearest offices, in Macerata" in reply.text
    listed = [line for line in reply.text.splitlines() if line.startswith("🏢 ")]
    assert set(listed[: len(by_province["MC"])]) == by_province["MC"], "then regional, national"
    assert set(listed[len(by_province["MC"]) :]) == by_province.get(None, set())


async def test_a_question_with_no_topic_of_its_own_leans_on_the_faq_answered_last(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    faq = first_faq(seeded, "language_courses")
    text = published_translations(faq)["it"]
    sure = Parse("faq", 0.97, [("faq", 0.97)], faq.slug, 0.95)
    how_much = Parse("follow_up", 0.9, [("follow_up", 0.9)])
    nlu = FakeNlu(
        {
            text.question: sure,
            "quanto costa?": how_much,
            f"{text.question} quanto costa?": sure,
            "metti la sveglia alle 7": Parse("out_of_scope", 0.9, [("out_of_scope", 0.9)]),
        }
    )
    dialogue = make(settings, seeded, nlu)
    alone = await dialogue.handle_text(UserState("it"), "quanto costa?")
    asks = translations("it").gettext("Which topic do you mean? Please write your whole question.")
    assert [reply.text for reply in alone.replies] == [asks]
    state = (await dialogue.handle_text(UserState("it"), text.question)).state
    assert state is not None
    turn = await dialogue.handle_text(state, "quanto costa?")
    assert turn.understanding is not None and turn.understanding.faq == faq.slug
    assert text.answer.split("\n")[0] in turn.replies[0].text, "the details of the same FAQ"
    other = await dialogue.handle_text(state, "metti la sveglia alle 7")
    assert other.understanding is not None and other.understanding.faq is None
    assert not any(text.answer.split("\n")[0] in reply.text for reply in other.replies)
