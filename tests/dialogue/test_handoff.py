"""Talk to a person in the core: office hours, the next opening in the user's locale, the
emergency numbers, and the turn that tells a front end to relay."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy.orm import Session, sessionmaker

from dialogue import handoff
from dialogue.app import build_dialogue
from dialogue.chats import Chats
from dialogue.payloads import AskPerson, CloseHandoff, SendVoice, ShowMenu, encode
from dialogue.replies import Handoff
from nlu.client import Parse
from shared.clock import ROME
from shared.settings import HandoffSettings, Settings
from storage.users import TERMINAL, UserState
from testbed.fakes import FakeNlu

HOURS = HandoffSettings(weekdays=[0, 1, 2, 3, 4], opens=time(9), closes=time(17))


def rome(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ROME)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (rome(2026, 11, 30, 9, 0), True),  # Monday at opening
        (rome(2026, 11, 30, 16, 59), True),
        (rome(2026, 11, 30, 17, 0), False),  # closing time
        (rome(2026, 11, 30, 8, 59), False),
        (rome(2026, 11, 28, 11, 0), False),  # Saturday
        (datetime(2026, 7, 1, 7, 30, tzinfo=UTC), True),  # 09:30 in Rome, summer time
        (datetime(2026, 12, 1, 7, 30, tzinfo=UTC), False),  # 08:30 in Rome, winter time
    ],
)
def test_office_hours_are_rome_time(moment: datetime, expected: bool) -> None:
    assert handoff.is_open(HOURS, moment) is expected


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (rome(2026, 11, 27, 18, 0), rome(2026, 11, 30, 9, 0)),  # Friday evening -> Monday
        (rome(2026, 11, 24, 7, 0), rome(2026, 11, 24, 9, 0)),  # Tuesday early -> same day
        (rome(2026, 11, 29, 12, 0), rome(2026, 11, 30, 9, 0)),  # Sunday -> Monday
        (rome(2026, 3, 28, 20, 0), rome(2026, 3, 30, 9, 0)),  # across the change to summer time
    ],
)
def test_next_opening(moment: datetime, opening: datetime) -> None:
    found = handoff.next_opening(HOURS, moment)
    assert found == opening
    assert found.astimezone(ROME).hour == 9


def test_next_opening_in_the_users_locale() -> None:
    monday = rome(2026, 11, 30, 9, 0)
    assert handoff.when(monday, "it") == "lunedì 30 novembre 2026 alle 09:00"
    assert handoff.when(monday, "en") == "Monday, November 30, 2026 at 9:00\u202fAM"
    assert "الاثنين" in handoff.when(monday, "ar")
    assert "星期一" in handoff.when(monday, "zh")


async def test_outside_hours_the_user_reads_when_someone_answers(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = build_dialogue(settings, seeded, FakeNlu())
    saturday = rome(2026, 11, 28, 11, 0)
    [reply] = handoff.asked(dialogue, "it", None, HOURS, saturday)
    assert "I mediatori ora non sono disponibili" in reply.text
    assert "lunedì 30 novembre 2026 alle 09:00" in reply.text
    assert [b.payload for b in reply.buttons] == [encode(CloseHandoff())]
    [during] = handoff.asked(dialogue, "it", None, HOURS, rome(2026, 11, 30, 10, 0))
    assert "non sono disponibili" not in during.text
    assert "112" not in during.text


@pytest.mark.parametrize("moment", [rome(2026, 11, 28, 3, 0), rome(2026, 11, 30, 10, 0)])
async def test_emergency_numbers_are_always_shown(
    settings: Settings, seeded: sessionmaker[Session], moment: datetime
) -> None:
    dialogue = build_dialogue(settings, seeded, FakeNlu())
    for replies in (
        handoff.asked(dialogue, "uk", "emergency", HOURS, moment),
        handoff.sent(dialogue, "uk", "emergency", 7, HOURS, moment),
    ):
        numbers = replies[0].text
        for number in ("112", "118", "113", "115", "1522", "114"):  # the seed's national numbers
            assert f"☎️ {number} –" in numbers
        assert numbers.startswith("У надзвичайній ситуації не чекайте")


async def test_asking_for_a_person_tells_the_front_end(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    text = "voglio parlare con una persona"
    nlu = FakeNlu({text: Parse("human", 0.96, [("human", 0.96)])})
    dialogue = build_dialogue(settings, seeded, nlu)
    typed = await dialogue.handle_text(UserState("it"), text)
    assert typed.handoff == Handoff(None, text)
    pressed = await dialogue.handle_button(UserState("ar"), encode(AskPerson("emergency")))
    assert pressed.handoff == Handoff("emergency")
    assert "☎️ 112 –" in pressed.replies[-1].text, "front ends that cannot relay show them too"
    other = await dialogue.handle_button(UserState("ar"), "human:not_a_category")
    assert other.handoff == Handoff(None)
    answer = await dialogue.handle_text(UserState("it"), "ciao")
    assert answer.handoff is None


def test_a_voice_offer_names_its_note_and_says_when_someone_answers(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = build_dialogue(settings, seeded, FakeNlu())
    [offer] = handoff.voice_offer(dialogue, "fr", 42, HOURS, rome(2026, 11, 28, 11, 0))
    assert offer.text.startswith("Je ne peux pas écouter les messages vocaux.")
    assert "lundi 30 novembre 2026" in offer.text, "the mediators are away on Saturday"
    assert [b.payload for b in offer.buttons] == [encode(SendVoice(42)), encode(ShowMenu())]


def test_without_mediators_a_voice_note_gets_where_a_person_is_and_the_menu(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = build_dialogue(settings, seeded, FakeNlu())
    replies = handoff.voice_unrelayed(dialogue, "zh", "AN")
    assert replies[0].text.startswith("我无法收听语音消息。")
    assert len(replies) > 1, "the social services follow"
    assert encode(ShowMenu()) in [b.payload for b in replies[-1].buttons]


def test_a_long_caption_fits_telegrams_caption_limit() -> None:
    words = handoff.group_voice("it", "parola " * 400)
    heading = handoff.group_request("it", 12345, "ur", "PU", words).text
    assert len(heading.encode("utf-16-le")) // 2 <= handoff.MAX_CAPTION
    assert words.startswith("🎤 Un messaggio vocale dell’utente.\n\nparola parola")


async def test_where_no_voice_can_arrive_its_button_gets_the_menu(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    """The terminal chat and "try the bot" take no voice notes; an old or typed button of one
    is answered, not an error."""
    dialogue = build_dialogue(settings, seeded, FakeNlu())
    turn = await Chats(dialogue, seeded).button(TERMINAL, UserState("ar"), encode(SendVoice(7)))
    assert turn.replies == [dialogue.menus.main_menu("ar")]
    assert turn.handoff is None
