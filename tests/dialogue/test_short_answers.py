"""Short first, details on request: the first message says what to do, where, what to bring."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.repository import published_translations
from content.text import SHORT_WORDS, word_count
from dialogue.app import build_dialogue
from dialogue.core import Turn
from dialogue.payloads import ShowCategory, ShowDetails, ShowFaq, ShowOffice, decode, encode
from dialogue.replies import Reply
from shared.i18n import translations
from shared.settings import Settings
from shared.vocabulary import LANGUAGES
from storage.content import Faq, Service
from storage.users import UserState
from testbed.fakes import FakeNlu


def _faq(seeded: sessionmaker[Session], slug: str) -> Faq:
    with seeded() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == slug)).one()
        _ = faq.translations
        return faq


def _pressed(reply: Reply, kind: type) -> list[str]:
    return [b.payload for b in reply.buttons if isinstance(decode(b.payload), kind)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_first_message_is_the_short_text_and_the_details_follow_on_request(
    settings: Settings, seeded: sessionmaker[Session], language: str
) -> None:
    text = published_translations(_faq(seeded, "permit_renewal"))[language]
    dialogue = build_dialogue(settings, seeded, FakeNlu())
    turn = await dialogue.handle_button(UserState(language), encode(ShowFaq("permit_renewal")))
    first = turn.replies[0]
    assert text.short and text.short in first.text
    assert text.answer not in first.text
    assert word_count(first.text) <= word_count(text.question) + SHORT_WORDS
    [more] = _pressed(first, ShowDetails)
    details = (await dialogue.handle_button(UserState(language), more)).replies[0]
    assert text.answer in details.text
    source = translations(language).gettext("Source: {url}").format(url="")
    assert source.strip() in details.text


async def test_offices_after_an_answer_are_those_that_serve_its_question(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    faq = _faq(seeded, "school_enrolment")
    assert faq.offices and "university" not in faq.offices
    dialogue = build_dialogue(settings, seeded, FakeNlu())
    turn = await dialogue.handle_button(
        UserState("en", province="AN"), encode(ShowFaq("school_enrolment"))
    )
    listed = _offices(seeded, turn)
    assert all(kind in faq.offices for kind in listed)
    assert listed == sorted(listed, key=faq.offices.index)


async def test_a_night_without_a_roof_lists_shelters_and_caritas_before_sai_and_erap(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = build_dialogue(settings, seeded, FakeNlu())
    turn = await dialogue.handle_button(
        UserState("fr", province="MC"), encode(ShowFaq("nowhere_to_sleep_tonight"))
    )
    listed = _offices(seeded, turn)
    assert "caritas" in listed
    for later in ("reception", "public_housing"):
        if later in listed:
            assert listed.index("caritas") < listed.index(later)


def _offices(seeded: sessionmaker[Session], turn: Turn) -> list[str]:
    """The kinds of the offices a turn offers "more" on, in order."""
    slugs = [
        payload.slug
        for reply in turn.replies
        for b in reply.buttons
        if isinstance(payload := decode(b.payload), ShowOffice)
    ]
    with seeded() as session:
        kinds = {s.slug: s.kind for s in session.scalars(select(Service))}
    return [kinds[slug] or "" for slug in slugs]


@pytest.mark.parametrize("language", ["it", "ar", "zh"])
async def test_an_office_card_is_brief_and_more_gives_the_rest(
    settings: Settings, seeded: sessionmaker[Session], language: str
) -> None:
    dialogue = build_dialogue(settings, seeded, FakeNlu())
    state = UserState(language, province="PU")
    listing = (
        await dialogue.handle_button(state, encode(ShowCategory("social_services")))
    ).replies
    pressed = [(b.payload, decode(b.payload)) for b in listing[-1].buttons]
    [(first, office_payload), *_] = [(p, d) for p, d in pressed if isinstance(d, ShowOffice)]
    assert isinstance(office_payload, ShowOffice)
    slug = office_payload.slug
    with seeded() as session:
        office = session.scalars(select(Service).where(Service.slug == slug)).one()
    card = (await dialogue.handle_button(state, first)).replies[0].text
    assert office.name in listing[-1].text and office.name in card
    description = office.description[language]
    assert description in card
    if len(description) > description.find(".") + 2 > 1:
        assert description not in listing[-1].text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_emergency_numbers_are_never_marked_check_before_you_go(
    settings: Settings, seeded: sessionmaker[Session], language: str
) -> None:
    dialogue = build_dialogue(settings, seeded, FakeNlu())
    turn = await dialogue.handle_button(UserState(language), encode(ShowCategory("emergency")))
    check = translations(language).gettext(
        "⚠️ Not yet verified by a person: check on the official website before you go."
    )
    text = "\n".join(reply.text for reply in turn.replies)
    assert "112" in text and check not in text
    for payload in _pressed(turn.replies[-1], ShowOffice):
        card = (await dialogue.handle_button(UserState(language), payload)).replies[0].text
        assert check not in card
