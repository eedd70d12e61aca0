"""`primm chat` in a terminal: typed questions and numbered buttons, through the real Rasa."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pytest import CaptureFixture
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from dialogue.app import build_dialogue
from dialogue.chats import Chats
from dialogue.payloads import Listen, ShowDesk, ShowFaq, encode
from dialogue.privacy import deleted, picker
from dialogue.reminders import event_reminded, permit_saved
from dialogue.subscriptions import confirmation, following
from primm.chat import render
from shared.settings import Settings, VoiceSettings
from shared.vocabulary import LANGUAGES
from storage.content import Event, Service
from storage.reminders import EventReminder, PermitReminder
from storage.subscriptions import Subscription, Topic
from storage.users import TERMINAL, BotUser, UserState
from testbed.fakes import FakeNlu
from tests.support.cli import run_primm
from tests.support.content import translation


def test_question_then_button_then_quit(seeded: sessionmaker[Session], rasa_url: str) -> None:
    # greeting -> [1] Services -> [1] Residence permit -> [4] Macerata
    result = run_primm(seeded, rasa_url, "chat", "--lang", "it", stdin="ciao\n1\n1\n4\n/quit\n")
    with seeded() as session:
        offices = dict(
            session.execute(
                select(Service.name, Service.province).where(
                    Service.category_key == "residence_permit"
                )
            ).all()
        )
    assert "[1] Servizi" in result.stdout
    assert "Pesaro e Urbino" in result.stdout  # the province picker
    shown = {name for name in offices if name in result.stdout}
    assert shown and {offices[name] for name in shown} == {"MC"}


def test_subscription_and_reminders_in_the_terminal(
    seeded: sessionmaker[Session], rasa_url: str
) -> None:
    """The flows of Telegram's commands, typed in the terminal: kept after consent, then erased."""
    with seeded.begin() as session:
        event = Event(
            slug="terminal_fair",
            translations={"it": {"title": "Fiera del lavoro al terminale", "text": "Stand"}},
            starts_at=datetime.now(UTC) + timedelta(days=6),
            source_url="https://www.regione.marche.it/",
        )
        session.add(event)
        session.flush()
        event_id = event.id
    expiry = date(2030, 12, 31)
    try:
        # /subscribe first shows the notice; [1] is the ticked Italian, then [1] is Events.
        first = run_primm(
            seeded,
            rasa_url,
            "chat",
            "--lang",
            "it",
            stdin="/subscribe\n1\n/subscribe\n1\n/permit\n31/12/2030\n/events\n/quit\n",
        ).stdout
        assert picker(LANGUAGES, "it").text in first
        assert confirmation("it", Topic.EVENTS, True) in first
        assert permit_saved("it", expiry).text in first
        remind = next(
            line.split("]")[0].strip(" [")
            for line in first.splitlines()
            if "Fiera del lavoro al terminale" in line and line.strip().startswith("[")
        )
        with seeded() as session:
            kept = session.scalars(select(Subscription.topic).where(Subscription.chat_id == 0))
            assert list(kept) == [Topic.EVENTS]
            permit = session.get(PermitReminder, TERMINAL)
            assert permit is not None and permit.expires_on == expiry

        # The next session is the same chat: the event's reminder, /mydata, then /deletedata.
        second = run_primm(
            seeded,
            rasa_url,
            "chat",
            "--lang",
            "it",
            stdin=f"/events\n{remind}\n/mydata\n/deletedata\n1\n/quit\n",
        ).stdout
        with seeded() as session:
            listed = session.get(Event, event_id)
            assert listed is not None
            assert event_reminded("it", listed).text in second
        assert following("it", [Topic.EVENTS]) in second
        assert "31 dicembre 2030" in second
        assert deleted("it", confirmed=True, found=True).text in second
        with seeded() as session:
            assert session.get(BotUser, TERMINAL) is None
            assert session.scalar(select(func.count()).select_from(Subscription)) == 0
            assert session.get(PermitReminder, TERMINAL) is None
            assert session.scalar(select(func.count()).select_from(EventReminder)) == 0
    finally:
        with seeded.begin() as session:
            session.execute(delete(Event).where(Event.id == event_id))


async def test_a_voice_note_is_shown_as_its_path(
    settings: Settings, seeded: sessionmaker[Session], tmp_path: Path, capsys: CaptureFixture[str]
) -> None:
    local = settings.model_copy(update={"voice": VoiceSettings(dir=tmp_path, languages=["es"])})
    chats = Chats(build_dialogue(local, seeded, FakeNlu()), seeded)
    state = UserState("es")
    shown = render(await chats.button(TERMINAL, state, encode(ShowFaq("permit_renewal"))))
    turn = await chats.button(
        TERMINAL, state, shown[shown.index(encode(Listen("permit_renewal")))]
    )
    assert render(turn) == []
    (note,) = await asyncio.to_thread(lambda: list(tmp_path.iterdir()))
    assert f"🔊 {note}" in capsys.readouterr().out


async def test_the_desk_card_in_the_terminal(
    settings: Settings, seeded: sessionmaker[Session], capsys: CaptureFixture[str]
) -> None:
    """The 🇮🇹 button is a numbered button like any other: Italian first, then Albanian."""
    chats = Chats(build_dialogue(settings, seeded, FakeNlu()), seeded)
    state = UserState("sq", province="MC")
    shown = render(await chats.button(TERMINAL, state, encode(ShowFaq("permit_renewal"))))
    card = encode(ShowDesk("permit_renewal", "MC"))
    render(await chats.button(TERMINAL, state, shown[shown.index(card)]))
    out = capsys.readouterr().out
    italian, albanian = (translation(seeded, "permit_renewal", code).desk for code in ("it", "sq"))
    assert italian is not None and albanian is not None
    assert out.index(italian["need"]) < out.index(albanian["need"])
    assert "Ufficio: Questura di Macerata" in out and "Zyra: Questura di Macerata" in out
