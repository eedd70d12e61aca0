"""Button payloads read back as what was written, and buttons already sent keep working."""

from __future__ import annotations

import pytest

from dialogue.payloads import (
    AskArea,
    AskPerson,
    CancelPermit,
    ChooseLanguage,
    CloseHandoff,
    Consent,
    DeleteData,
    Follow,
    Listen,
    ListenOffice,
    Payload,
    RemindEvent,
    SendVoice,
    SetArea,
    ShowCategory,
    ShowDesk,
    ShowFaq,
    ShowLanguages,
    ShowMenu,
    ShowNearby,
    ShowServices,
    SkipArea,
    StopPermit,
    Vote,
    decode,
    encode,
    fits,
    pressed,
)

# What buttons in messages users already have carry: an upgrade must still understand them.
SENT = {
    "start:ar": Consent("ar"),
    "deletedata:yes": DeleteData(True),
    "deletedata:no": DeleteData(False),
    "menu": ShowMenu(),
    "services": ShowServices(),
    "languages": ShowLanguages(),
    "lang:uk": ChooseLanguage("uk"),
    "human": AskPerson(),
    "human:health": AskPerson("health"),
    "faq:permit_renewal": ShowFaq("permit_renewal"),
    "say:permit_renewal": Listen("permit_renewal"),
    "sayo:questura_ancona": ListenOffice("questura_ancona"),
    "desk:permit_renewal": ShowDesk("permit_renewal"),
    "desk:permit_renewal:FM": ShowDesk("permit_renewal", "FM"),
    "cat:housing": ShowCategory("housing"),
    "cat:work:MC": ShowCategory("work", "MC"),
    "cat:residence_permit::questura": ShowCategory("residence_permit", None, "questura"),
    "cat:residence_permit:AP:questura": ShowCategory("residence_permit", "AP", "questura"),
    "area": AskArea(),
    "area:-": SkipArea(),
    "area:FM": SetArea("FM"),
    "area:FM:Porto San Giorgio": SetArea("FM", "Porto San Giorgio"),
    "fb:+:italian_courses_free": Vote("italian_courses_free", helpful=True),
    "fb:-:italian_courses_free": Vote("italian_courses_free", helpful=False),
    "near:health:43.62:13.52": ShowNearby("health", 43.62, 13.52),
    "remind:17": RemindEvent(17),
    "permit:stop": StopPermit(),
    "permit:cancel": CancelPermit(),
    "sub:+:events": Follow("events", on=True),
    "sub:-:housing": Follow("housing", on=False),
    "hoff:close": CloseHandoff(),
    "hoff:close:12": CloseHandoff(12),
    "hoff:voice:4711": SendVoice(4711),
}


@pytest.mark.parametrize(("data", "payload"), SENT.items())
def test_buttons_already_sent_read_back_the_same(data: str, payload: Payload) -> None:
    assert decode(data) == payload
    assert encode(payload) == data


@pytest.mark.parametrize(
    "data",
    [
        "",
        "nope",
        "lang:",
        "faq:",
        "cat:",
        "fb:?:x",
        "fb:+:",
        "near:health:north:east",
        "remind:soon",
        "remind:" + "9" * 23,  # overflowed the databases' integer
        f"remind:{2**31}",
        "remind:²",  # a digit to str.isdigit, not to int()
        "hoff:close:" + "9" * 23,
        "sub:*:events",
        "hoff:close:twelve",
        "hoff:voice:",
        "hoff:voice:-3",
        "hoff:voice:" + "9" * 23,
        "deletedata:maybe",
        "start:",
        "desk:",
        "desk:permit_renewal:XX",  # no such province
    ],
)
def test_an_old_or_forged_button_reads_as_nothing(data: str) -> None:
    assert decode(data) is None


def test_a_location_is_kept_to_about_a_kilometre() -> None:
    assert encode(ShowNearby("work", 43.616789, 13.518912)) == "near:work:43.62:13.52"


def test_a_town_too_long_for_telegram_does_not_fit() -> None:
    assert fits(SetArea("PU", "Sant'Angelo in Vado"))
    assert not fits(SetArea("PU", "x" * 60))


def test_front_ends_filter_presses_by_kind_or_by_exact_payload() -> None:
    assert pressed(RemindEvent)("remind:3")
    assert not pressed(RemindEvent)("remind:x")
    assert pressed(CloseHandoff())("hoff:close")
    assert not pressed(CloseHandoff())("hoff:close:4"), "a mediator's close is not a user's"
    assert not pressed(Follow)(None)
