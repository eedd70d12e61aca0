"""Talk to a person through the Bot API emulator: the user's words reach the mediators' group and
their replies come back, each side never seeing the other's name or account."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import MetaData, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import BotApplication, build_bot
from dialogue import handoff
from dialogue.app import App, build_dialogue
from dialogue.core import Dialogue
from dialogue.payloads import (
    AskPerson,
    CloseHandoff,
    Consent,
    DeleteData,
    SendVoice,
    ShowMenu,
    encode,
)
from shared.clock import ROME, today
from shared.i18n import translations
from shared.settings import HandoffSettings, Settings
from storage.handoff import HandoffMessage, HandoffTicket, TicketStatus
from testbed.botapi import TOKEN, BotApiEmulator
from testbed.fakes import FakeNlu
from tests.support.telegram import WAIT_SECONDS, RunningBot, payloads, plain, polling

GROUP = -1001234567890
ALWAYS = HandoffSettings(
    group_chat_id=GROUP, weekdays=list(range(7)), opens=time(0), closes=time(23, 59, 59)
)
MEDIATOR_NAME = "Giulia Mediatrice"


async def arrived(emulator: BotApiEmulator, chat_id: int, count: int) -> list[dict[str, Any]]:
    """The chat's messages once there are `count` (group updates are waited for this way)."""
    async with asyncio.timeout(WAIT_SECONDS):
        return await emulator.wait_for(chat_id, count)


@pytest.fixture
async def relay(
    emulator: BotApiEmulator, make_bot: Callable[..., BotApplication]
) -> AsyncIterator[RunningBot]:
    emulator.group(GROUP, "Mediatori PRIMM")
    async with polling(make_bot(handoff=ALWAYS)) as running:
        yield running


def mediator(emulator: BotApiEmulator) -> dict[str, Any]:
    member = emulator.user(777001, "it")
    member.update(first_name=MEDIATOR_NAME, username="giulia_med")
    return member


async def consented(
    emulator: BotApiEmulator, bot: RunningBot, user_id: int, language: str, province: str
) -> dict[str, Any]:
    """A user who chose a language (the consent) and a province."""
    user = emulator.user(user_id, language)
    user.update(first_name="Amira", last_name="Haddad", username="amira_h")
    await bot.handled(emulator.send_text(user, "/start"))
    await bot.handled(emulator.tap(user, emulator.chat(user_id)[-1], encode(Consent(language))))
    await bot.handled(emulator.tap(user, emulator.chat(user_id)[-2], f"area:{province}"))
    return user


async def open_ticket(
    emulator: BotApiEmulator, bot: RunningBot, user: dict[str, Any], words: str
) -> dict[str, Any]:
    """Talk to a person, write: the group's first message of the conversation."""
    await bot.handled(emulator.press(user, encode(AskPerson("residence_permit"))))
    before = len(emulator.chat(GROUP))
    await bot.handled(emulator.send_text(user, words))
    return (await arrived(emulator, GROUP, before + 1))[-1]


def tickets(sessions: sessionmaker[Session]) -> list[HandoffTicket]:
    with sessions() as session:
        return list(session.scalars(select(HandoffTicket).order_by(HandoffTicket.id)))


def identity_free(text: str, user: dict[str, Any]) -> bool:
    """No name, username or chat id of the user in a text."""
    found = [str(user["id"]), user["first_name"], user.get("last_name", ""), user["username"]]
    return not any(part and part in text for part in found)


async def test_relay_both_ways_with_identities_kept_apart(
    emulator: BotApiEmulator,
    relay: RunningBot,
    sessions: sessionmaker[Session],
    dialogue: Dialogue,
) -> None:
    user = await consented(emulator, relay, 5001, "ar", "AN")
    _ = translations("ar").gettext
    await relay.handled(emulator.press(user, encode(AskPerson("residence_permit"))))
    assert "اكتب رسالتك دفعة واحدة" in emulator.chat(5001)[-1]["text"]
    assert payloads(emulator.chat(5001)[-1]) == [encode(CloseHandoff())]
    assert emulator.chat(GROUP) == [], "nothing reaches the group before the user writes"

    words = "انتهت صلاحية تصريح إقامتي، ماذا أفعل؟"
    await relay.handled(emulator.send_text(user, words))
    [first] = await arrived(emulator, GROUP, 1)
    [ticket] = tickets(sessions)
    assert (ticket.status, ticket.language, ticket.province) == (TicketStatus.OPEN, "ar", "AN")
    assert first["text"].startswith(f"🎫 #{ticket.id} · العربية (ar) · AN")
    assert words in first["text"]
    assert identity_free(first["text"], user)
    assert "forward_origin" not in first and first["from"]["is_bot"], "copied, not forwarded"
    assert payloads(first) == [encode(CloseHandoff(ticket.id))]
    [sent] = handoff.sent(dialogue, "ar", None, ticket.id, ALWAYS, datetime.now(ROME))
    assert plain(emulator.chat(5001)[-1]["text"]) == sent.text

    member = mediator(emulator)
    # Mediators talking among themselves, or to the bot outside a thread: no user conversation.
    emulator.write_in_group(member, GROUP, "Buongiorno a tutti")
    emulator.write_in_group(member, GROUP, "/menu")
    count = len(emulator.chat(5001))
    answer = "Buongiorno, può rinnovarlo in Questura: prenoti sul portale."
    emulator.reply_in_group(member, GROUP, first, answer)
    relayed = (await arrived(emulator, 5001, count + 1))[-1]
    assert plain(relayed["text"]) == f"{_('👤 A mediator answers:')}\n\n{answer}"
    assert MEDIATOR_NAME not in relayed["text"] and "giulia_med" not in relayed["text"]
    assert "777001" not in relayed["text"]
    assert payloads(relayed) == [encode(CloseHandoff())]
    assert len(emulator.chat(GROUP)) == 1, "the group's own messages got no answer"

    await relay.handled(emulator.send_text(user, "شكرًا، وأين أجد الاستمارة؟"))
    followup = (await arrived(emulator, GROUP, 2))[-1]
    assert followup["reply_to_message"]["message_id"] == first["message_id"], "same thread"
    assert followup["text"] == f"🎫 #{ticket.id}\n\nشكرًا، وأين أجد الاستمارة؟"
    assert len(emulator.chat(5001)) == count + 1, "no confirmation for every message"
    # A mediator may answer any message of the thread.
    emulator.reply_in_group(member, GROUP, followup, "Sul sito della Polizia di Stato.")
    latest = (await arrived(emulator, 5001, count + 2))[-1]
    assert "Sul sito della Polizia di Stato." in plain(latest["text"])
    with sessions() as session:
        kept = session.scalars(select(HandoffMessage.group_message_id)).all()
    assert sorted(kept) == [first["message_id"], followup["message_id"]]
    assert emulator.errors == []


async def test_mediator_closes_with_a_reply_and_late_replies_are_not_delivered(
    emulator: BotApiEmulator, relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = await consented(emulator, relay, 5002, "fr", "MC")
    first = await open_ticket(emulator, relay, user, "J'ai besoin d'aide pour un logement")
    member = mediator(emulator)
    count = len(emulator.chat(5002))
    emulator.reply_in_group(member, GROUP, first, "/close")
    closed = (await arrived(emulator, 5002, count + 1))[-1]
    assert closed["text"] == translations("fr").gettext(
        "The mediator has closed the conversation. If you need more help, tap “Talk to a "
        "person” again."
    )
    said = (await arrived(emulator, GROUP, 2))[-1]
    [ticket] = tickets(sessions)
    assert said["text"] == f"🎫 #{ticket.id}: chiusa da un mediatore."
    assert ticket.status is TicketStatus.CLOSED and ticket.closed_at is not None

    emulator.reply_in_group(member, GROUP, first, "Ah, un'ultima cosa…")
    late = (await arrived(emulator, GROUP, 3))[-1]
    assert "non è stata consegnata" in late["text"]
    assert len(emulator.chat(5002)) == count + 1

    # The user's words go to the bot again, not to the group.
    await relay.handled(emulator.send_text(user, "/menu"))
    await relay.handled(emulator.send_text(user, "Ancona"))
    assert len(emulator.chat(GROUP)) == 3
    assert emulator.errors == []


async def test_mediator_closes_with_the_button(
    emulator: BotApiEmulator, relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = await consented(emulator, relay, 5003, "sq", "PU")
    first = await open_ticket(emulator, relay, user, "Kam nevojë për një mjek")
    [ticket] = tickets(sessions)
    count = len(emulator.chat(5003))
    emulator.tap(mediator(emulator), first, encode(CloseHandoff(ticket.id)))
    await arrived(emulator, 5003, count + 1)
    assert "Ndërmjetësi e mbylli bisedën" in emulator.chat(5003)[-1]["text"]
    assert "reply_markup" not in emulator.chat(GROUP)[0], "the button leaves the group message"
    assert tickets(sessions)[0].status is TicketStatus.CLOSED
    assert emulator.errors == []


async def test_user_closes_and_the_group_is_told(
    emulator: BotApiEmulator, relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = await consented(emulator, relay, 5004, "es", "FM")
    first = await open_ticket(emulator, relay, user, "Necesito ayuda con el trabajo")
    [ticket] = tickets(sessions)
    await relay.handled(emulator.tap(user, emulator.chat(5004)[-1], encode(CloseHandoff())))
    _ = translations("es").gettext
    assert emulator.chat(5004)[-1]["text"] == _(
        "The conversation with the mediators is closed. I am here for your questions."
    )
    told = (await arrived(emulator, GROUP, 2))[-1]
    assert told["text"] == f"🎫 #{ticket.id}: chiusa dall’utente."
    assert told["reply_to_message"]["message_id"] == first["message_id"]
    await relay.handled(emulator.tap(user, emulator.chat(5004)[-2], encode(CloseHandoff())))
    assert emulator.chat(5004)[-1]["text"] == _("This conversation is already closed.")
    assert tickets(sessions)[0].status is TicketStatus.CLOSED
    assert emulator.errors == []


async def test_cancel_before_writing_tells_nobody(
    emulator: BotApiEmulator, relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = await consented(emulator, relay, 5005, "zh", "AN")
    await relay.handled(emulator.press(user, encode(AskPerson())))
    await relay.handled(emulator.tap(user, emulator.chat(5005)[-1], encode(CloseHandoff())))
    assert "与调解员的对话已结束" in emulator.chat(5005)[-1]["text"]
    assert emulator.chat(GROUP) == []
    assert [t.status for t in tickets(sessions)] == [TicketStatus.CLOSED]


@pytest.mark.rasa
async def test_asking_in_words_sends_those_words(
    emulator: BotApiEmulator, relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = await consented(emulator, relay, 5006, "uk", "AP")
    await relay.handled(emulator.send_text(user, "хочу поговорити з людиною"))
    [first] = await arrived(emulator, GROUP, 1)
    assert "хочу поговорити з людиною" in first["text"]
    assert "Українська (uk) · AP" in first["text"]
    assert "Я передав ваше повідомлення медіаторам" in emulator.chat(5006)[-1]["text"]


async def test_without_consent_the_notice_comes_first_and_nothing_is_kept(
    emulator: BotApiEmulator, relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = emulator.user(5007, "bn")
    await relay.handled(emulator.press(user, encode(AskPerson())))
    assert encode(Consent("bn")) in payloads(emulator.chat(5007)[-1])
    assert tickets(sessions) == [] and emulator.chat(GROUP) == []


@pytest.mark.parametrize("open_now", [True, False])
async def test_outside_hours_says_when_and_emergency_numbers_always_show(
    emulator: BotApiEmulator,
    make_bot: Callable[..., BotApplication],
    dialogue: Dialogue,
    open_now: bool,
) -> None:
    emulator.group(GROUP, "Mediatori PRIMM")
    tomorrow = (datetime.now(ROME) + timedelta(days=1)).weekday()
    away = HandoffSettings(group_chat_id=GROUP, weekdays=[tomorrow], opens=time(9))
    async with polling(make_bot(handoff=ALWAYS if open_now else away)) as bot:
        user = await consented(emulator, bot, 5008, "ur", "AN")
        await bot.handled(emulator.press(user, encode(AskPerson("emergency"))))
    numbers, asked = (m["text"] for m in emulator.chat(5008)[-2:])
    for number in ("112", "118", "113", "115", "1522", "114"):
        assert f"☎️ {number} –" in plain(numbers)
    opening = datetime.combine(today() + timedelta(days=1), time(9), tzinfo=ROME)
    note = translations("ur").gettext(
        "The mediators are not available now. Someone will answer you from {when}."
    )
    expected = note.format(when=handoff.when(opening, "ur"))
    assert (expected in plain(asked)) is not open_now
    assert emulator.errors == []


async def test_mydata_shows_tickets_and_deletedata_removes_them(
    emulator: BotApiEmulator, relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = await consented(emulator, relay, 5009, "it", "AN")
    first = await open_ticket(emulator, relay, user, "Mi serve aiuto per la scuola di mio figlio")
    [ticket] = tickets(sessions)
    await relay.handled(emulator.send_text(user, "/mydata"))
    shown = emulator.chat(5009)[-1]["text"]
    assert f"Conversazioni con una persona: n. {ticket.id}, aperta, " in shown

    await relay.handled(emulator.send_text(user, "/deletedata"))
    await relay.handled(emulator.tap(user, emulator.chat(5009)[-1], encode(DeleteData(True))))
    assert tickets(sessions) == []
    with sessions() as session:
        assert session.scalar(select(func.count(HandoffMessage.id))) == 0
    told = (await arrived(emulator, GROUP, 2))[-1]
    assert told["text"] == f"🎫 #{ticket.id}: chiusa dall’utente."
    emulator.reply_in_group(mediator(emulator), GROUP, first, "È ancora lì?")
    late = (await arrived(emulator, GROUP, 3))[-1]
    assert late["text"] == "Questa conversazione è chiusa: la tua risposta non è stata consegnata."
    assert emulator.errors == []


# Voice notes: Telegram copies them to the group; the bot never holds or keeps the audio.

VOICE_FILE = "AwACAgQAAxkBAAIBvoiceNoteOfTheUser"  # as unlike anything else in the tables


@pytest.fixture
def make_offline(
    settings: Settings,
    emulator: BotApiEmulator,
    sessions: sessionmaker[Session],
    seeded: sessionmaker[Session],
) -> Callable[..., BotApplication]:
    """The bot over the seed content without Rasa (voice notes never reach it), on a fresh
    database for what it keeps; settings changed by keyword."""
    local = settings.model_copy(
        update={"telegram_bot_token": TOKEN, "telegram_api_base_url": emulator.base_url}
    )
    nlu = FakeNlu()
    app = App(sessions.kw["bind"], sessions, nlu, build_dialogue(local, seeded, nlu))
    return lambda **changes: build_bot(local.model_copy(update=changes), app)


@pytest.fixture
async def voice_relay(
    emulator: BotApiEmulator, make_offline: Callable[..., BotApplication]
) -> AsyncIterator[RunningBot]:
    emulator.group(GROUP, "Mediatori PRIMM")
    async with polling(make_offline(handoff=ALWAYS)) as running:
        yield running


async def voice_note(
    emulator: BotApiEmulator,
    bot: RunningBot,
    user: dict[str, Any],
    kind: str = "voice",
    **more: Any,
) -> dict[str, Any]:
    """The user sends a voice note (or a sound file): the message as Telegram keeps it."""
    await bot.handled(emulator.send_media(user, kind, file_id=VOICE_FILE, **more))
    return emulator.written[user["id"]][-1]


def kept_anywhere(sessions: sessionmaker[Session], *values: str) -> list[str]:
    """Every table and column of the database holding one of these values in any cell."""
    tables = MetaData()
    tables.reflect(sessions.kw["bind"])
    found = []
    with sessions() as session:
        for table in tables.sorted_tables:
            for row in session.execute(select(table)).mappings():
                for column, cell in row.items():
                    if any(value in str(cell) for value in values):
                        found.append(f"{table.name}.{column}")
    return found


def anonymous(copy: dict[str, Any], user: dict[str, Any]) -> bool:
    """A copy in the group names nothing of the user: sent by the bot, not forwarded."""
    said = json.dumps(copy, ensure_ascii=False)
    names = [user["first_name"], user.get("last_name", ""), user["username"]]
    return (
        copy["from"]["is_bot"]
        and copy["chat"]["id"] == GROUP
        and "forward_origin" not in copy
        and "forward_from" not in copy
        and not any(name and name in said for name in names)
        and identity_free(copy.get("caption", ""), user)
    )


async def test_a_voice_note_reaches_the_group_anonymously_and_nothing_of_it_is_kept(
    emulator: BotApiEmulator, voice_relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = await consented(emulator, voice_relay, 5101, "ar", "AN")
    voice = await voice_note(emulator, voice_relay, user)
    offer = emulator.chat(5101)[-1]
    _ = translations("ar").gettext
    assert offer["text"] == _(
        "I cannot listen to voice notes. Shall I send this one to a mediator, a person who "
        "will answer you here in this chat? Your name and your Telegram account stay hidden."
    )
    assert offer["reply_to_message"]["message_id"] == voice["message_id"], "it answers the note"
    assert payloads(offer) == [encode(SendVoice(voice["message_id"])), encode(ShowMenu())]
    assert emulator.chat(GROUP) == [] and tickets(sessions) == [], "nothing goes unasked"

    await voice_relay.handled(emulator.tap(user, offer, encode(SendVoice(voice["message_id"]))))
    [copy] = await arrived(emulator, GROUP, 1)
    [ticket] = tickets(sessions)
    assert copy["voice"]["file_id"] == VOICE_FILE, "the mediators hear the user's own note"
    assert copy["caption"].startswith(f"🎫 #{ticket.id} · العربية (ar) · AN\n\n🎤 ")
    assert anonymous(copy, user)
    assert payloads(copy) == [encode(CloseHandoff(ticket.id))]
    confirmed = _(
        "I have passed your message to the mediators (conversation no. {ticket}). A person will "
        "answer you here. You can keep writing: your messages go to them too."
    ).format(ticket=ticket.id)
    assert plain(emulator.chat(5101)[-1]["text"]) == confirmed
    assert "reply_markup" not in emulator.chat(5101)[-2], "the offer cannot send it twice"

    count = len(emulator.chat(5101))
    emulator.reply_in_group(mediator(emulator), GROUP, copy, "Ho ascoltato: venga in Questura.")
    answer = (await arrived(emulator, 5101, count + 1))[-1]
    assert "Ho ascoltato: venga in Questura." in plain(answer["text"])
    assert MEDIATOR_NAME not in answer["text"]

    # The database knows a ticket and the group's message id, never the note or its file.
    with sessions() as session:
        assert session.scalars(select(HandoffMessage.group_message_id)).all() == [
            copy["message_id"]
        ]
    assert kept_anywhere(sessions, VOICE_FILE) == []
    assert [call.method for call in emulator.calls if "file" in call.method.lower()] == []
    assert emulator.errors == []


async def test_a_voice_note_in_an_open_conversation_goes_to_its_thread(
    emulator: BotApiEmulator, voice_relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = await consented(emulator, voice_relay, 5102, "it", "MC")
    first = await open_ticket(emulator, voice_relay, user, "Ho una domanda sul permesso")
    [ticket] = tickets(sessions)
    count = len(emulator.chat(5102))
    await voice_note(emulator, voice_relay, user, "audio", caption="ecco la registrazione")
    copy = (await arrived(emulator, GROUP, 2))[-1]
    assert copy["reply_to_message"]["message_id"] == first["message_id"], "same thread"
    assert copy["audio"]["file_id"] == VOICE_FILE
    assert copy["caption"] == (
        f"🎫 #{ticket.id}\n\n🎤 Un messaggio vocale dell’utente.\n\necco la registrazione"
    )
    assert anonymous(copy, user)
    assert len(emulator.chat(5102)) == count, "no offer, no confirmation: it simply went"
    emulator.reply_in_group(mediator(emulator), GROUP, copy, "Ricevuto, grazie.")
    answer = (await arrived(emulator, 5102, count + 1))[-1]
    assert "Ricevuto, grazie." in answer["text"]
    assert kept_anywhere(sessions, VOICE_FILE, "ecco la registrazione") == []
    assert emulator.errors == []


async def test_a_voice_note_before_the_notice_waits_for_the_consent(
    emulator: BotApiEmulator, voice_relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = emulator.user(5103, "uk")
    user.update(first_name="Olena", username="olena_k")
    voice = await voice_note(emulator, voice_relay, user)
    offer = emulator.chat(5103)[-1]
    send = encode(SendVoice(voice["message_id"]))
    await voice_relay.handled(emulator.tap(user, offer, send))
    notice = emulator.chat(5103)[-1]
    assert encode(Consent("uk")) in payloads(notice), "the notice and its consent first"
    assert emulator.chat(GROUP) == [] and tickets(sessions) == []

    await voice_relay.handled(emulator.tap(user, notice, encode(Consent("uk"))))
    await voice_relay.handled(emulator.tap(user, offer, send))
    [copy] = await arrived(emulator, GROUP, 1)
    assert "Українська (uk) · –" in copy["caption"] and anonymous(copy, user)
    assert [t.status for t in tickets(sessions)] == [TicketStatus.OPEN]
    assert emulator.errors == []


async def test_a_forged_send_button_copies_nothing_of_another_chat(
    emulator: BotApiEmulator, voice_relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    other = await consented(emulator, voice_relay, 5104, "fr", "PU")
    theirs = await voice_note(emulator, voice_relay, other)
    user = await consented(emulator, voice_relay, 5105, "es", "FM")
    mine = await voice_note(emulator, voice_relay, user)
    offer = emulator.chat(5105)[-1]
    await voice_relay.handled(emulator.send_text(user, "/menu"))
    own_text = emulator.written[5105][-1]["message_id"]
    gone = translations("es").gettext(
        "I cannot find this voice note any more. Please send it again."
    )
    for forged in (theirs["message_id"], own_text, mine["message_id"] + 10_000):
        # On the offer the user sees, and on a message too old to show.
        for pressed_on in (offer, None):
            count = len(emulator.chat(5105))
            await voice_relay.handled(emulator.press(user, encode(SendVoice(forged)), pressed_on))
            [said] = emulator.chat(5105)[count:]
            assert said["text"] == gone
            assert payloads(said) == [encode(ShowMenu())]
    assert [call for call in emulator.calls if call.method == "copyMessage"] == []
    assert emulator.chat(GROUP) == [] and tickets(sessions) == []
    assert payloads(offer)[0] == encode(SendVoice(mine["message_id"])), "the real offer stands"
    assert emulator.errors == []


async def test_a_voice_note_deleted_before_the_tap_opens_no_conversation(
    emulator: BotApiEmulator, voice_relay: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = await consented(emulator, voice_relay, 5106, "sq", "AP")
    voice = await voice_note(emulator, voice_relay, user)
    emulator.written[5106].remove(voice)  # the user deleted it: Telegram has nothing to copy
    offer = emulator.chat(5106)[-1]
    await voice_relay.handled(emulator.tap(user, offer, encode(SendVoice(voice["message_id"]))))
    assert emulator.chat(5106)[-1]["text"] == translations("sq").gettext(
        "I cannot find this voice note any more. Please send it again."
    )
    assert tickets(sessions) == [] and emulator.chat(GROUP) == []
    assert [call.error for call in emulator.errors] == ["Bad Request: message to copy not found"]


@pytest.mark.parametrize("kind", ["voice", "audio"])
async def test_without_a_group_a_voice_note_says_how_to_reach_a_person(
    emulator: BotApiEmulator,
    make_offline: Callable[..., BotApplication],
    sessions: sessionmaker[Session],
    kind: str,
) -> None:
    async with polling(make_offline(handoff=HandoffSettings())) as bot:
        user = await consented(emulator, bot, 5107, "bn", "MC")
        count = len(emulator.chat(5107))
        await voice_note(emulator, bot, user, kind)
    said = emulator.chat(5107)[count:]
    _ = translations("bn").gettext
    assert plain(said[0]["text"]).startswith(
        f"{_('I cannot listen to voice notes.')} "
        + _(
            "To talk to a person, go to the social services of your comune or one of the "
            "offices below. In an emergency call 112."
        )
    )
    assert len(said) > 1, "the offices follow"
    assert encode(ShowMenu()) in payloads(said[-1])
    assert [call for call in emulator.calls if call.method == "copyMessage"] == []
    assert tickets(sessions) == []
    assert emulator.errors == []


async def test_an_offer_tapped_after_the_group_was_unset_says_how_to_reach_a_person(
    emulator: BotApiEmulator,
    make_offline: Callable[..., BotApplication],
    sessions: sessionmaker[Session],
) -> None:
    emulator.group(GROUP, "Mediatori PRIMM")
    async with polling(make_offline(handoff=ALWAYS)) as bot:
        user = await consented(emulator, bot, 5108, "es", "PU")
        voice = await voice_note(emulator, bot, user)
    offer = emulator.chat(5108)[-1]
    count = len(emulator.chat(5108))
    async with polling(make_offline(handoff=HandoffSettings())) as bot:
        await bot.handled(emulator.tap(user, offer, encode(SendVoice(voice["message_id"]))))
    said = emulator.chat(5108)[count:]
    cannot = translations("es").gettext("I cannot listen to voice notes.")
    assert said and plain(said[0]["text"]).startswith(cannot), "where to find a person"
    assert encode(ShowMenu()) in payloads(said[-1])
    assert [call for call in emulator.calls if call.method == "copyMessage"] == []
    assert tickets(sessions) == [] and emulator.chat(GROUP) == []


async def test_photos_and_stickers_still_get_the_text_only_reply(
    emulator: BotApiEmulator, voice_relay: RunningBot
) -> None:
    user = await consented(emulator, voice_relay, 5108, "en", "AN")
    for kind in ("photo", "sticker", "document"):
        await voice_relay.handled(emulator.send_media(user, kind))
        assert emulator.chat(5108)[-1]["text"].startswith("I can only read text messages.")
    assert emulator.chat(GROUP) == []
