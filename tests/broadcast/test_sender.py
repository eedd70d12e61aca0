"""Announcements reach each subscriber once, in their language, through Telegram's faults."""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from broadcast.sender import make_bot, send_due
from shared.settings import Settings
from storage.subscriptions import Announcement, AnnouncementStatus, DeliveryState, Subscription
from storage.users import TERMINAL, BotUser, tried_by
from testbed.botapi import BotApiEmulator
from testbed.broadcasts import announce, sender_process, sender_settings, states, subscribe
from testbed.limits import RateLimits

WAIT_SECONDS = 60


@pytest.fixture
async def limited() -> AsyncIterator[BotApiEmulator]:
    """An emulator that enforces Telegram's flood limits (30/s, 1/s per chat) with 429s."""
    server = BotApiEmulator(limits=RateLimits())
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Subprocesses read retry_after as python-telegram-bot 22 will, without its warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


async def run_sender(
    settings: Settings, engine: Engine, emulator: BotApiEmulator, **broadcast: float
) -> dict[int, dict[str, int]]:
    config = sender_settings(settings, emulator, **broadcast)
    async with make_bot(config) as bot:
        return await send_due(config, engine, bot)


def texts_of(emulator: BotApiEmulator, chat_id: int) -> list[str]:
    return [message["text"] for message in emulator.chat(chat_id)]


async def test_each_recipient_gets_one_message_in_their_language(
    settings: Settings, engine: Engine, sessions: sessionmaker[Session], limited: BotApiEmulator
) -> None:
    subscribe(
        sessions,
        limited,
        [(1, "ar", "AN"), (2, "ur", "MC"), (3, "fr", "AN"), (4, "ar", "PU"), (5, "en", None)],
    )
    texts = {"ar": "معرض الوظائف <الثلاثاء>", "it": "Fiera del lavoro <martedì>"}
    with_fallback = announce(sessions, texts, provinces=["AN", "MC"], fallback="it")
    await run_sender(settings, engine, limited)
    # Ancona and Macerata only; Urdu and French have no text and get the Italian one.
    assert texts_of(limited, 1) == [texts["ar"]]
    assert texts_of(limited, 2) == texts_of(limited, 3) == [texts["it"]]
    assert texts_of(limited, 4) == texts_of(limited, 5) == []
    assert states(sessions, with_fallback) == dict.fromkeys([1, 2, 3], DeliveryState.SENT)

    skipping = announce(sessions, {"ar": "عرض"}, languages=["ar", "ur"])
    await run_sender(settings, engine, limited)
    assert texts_of(limited, 1)[1:] == texts_of(limited, 4) == ["عرض"]
    assert texts_of(limited, 2) == [texts["it"]]  # Urdu without text is skipped
    assert states(sessions, skipping) == dict.fromkeys([1, 4], DeliveryState.SENT)
    with sessions() as session:
        assert {a.status for a in session.scalars(select(Announcement))} == {
            AnnouncementStatus.DONE
        }
    assert limited.errors == []  # never over Telegram's limits, never a refused request


async def test_only_telegram_chats_receive(
    settings: Settings, engine: Engine, sessions: sessionmaker[Session], limited: BotApiEmulator
) -> None:
    """The terminal chat and an editor's "try the bot" may follow a topic, but get nothing sent."""
    subscribe(
        sessions, limited, [(1, "it", None), (TERMINAL, "it", None), (tried_by(3), "it", None)]
    )
    announcement = announce(sessions, {"it": "Fiera del lavoro"})
    await run_sender(settings, engine, limited)
    assert texts_of(limited, 1) == ["Fiera del lavoro"]
    assert states(sessions, announcement) == {1: DeliveryState.SENT}
    assert {
        call.params.get("chat_id") for call in limited.calls if call.method == "sendMessage"
    } == {1}


async def test_faults_end_in_honest_states(
    settings: Settings, engine: Engine, sessions: sessionmaker[Session], limited: BotApiEmulator
) -> None:
    subscribe(sessions, limited, [(chat, "en", "AN") for chat in range(1, 41)])
    announcement = announce(sessions, {"en": "Italian course starts Monday"})
    limited.fail_next("sendMessage", 429, retry_after=1)
    limited.fail_next("sendMessage", 500)
    limited.drop_next("sendMessage")
    limited.hang_next("sendMessage", 3)
    report = await run_sender(settings, engine, limited, read_timeout=1)

    assert report[announcement] == {
        "pending": 0,
        "sent": 39,
        "failed": 0,
        "blocked": 0,
        "uncertain": 1,
    }
    # The hung request was carried out: its message arrives although the answer did not.
    [hung] = [c for c, state in states(sessions, announcement).items() if state != "sent"]
    async with asyncio.timeout(WAIT_SECONDS):
        await limited.wait_for(hung)
    assert all(len(limited.chat(chat)) == 1 for chat in range(1, 41))
    assert limited.errors == []


async def test_blocked_user_is_unsubscribed_and_unknown_chat_fails(
    settings: Settings, engine: Engine, sessions: sessionmaker[Session], limited: BotApiEmulator
) -> None:
    subscribe(sessions, limited, [(chat, "it", "FM") for chat in range(1, 6)])
    subscribe(sessions, BotApiEmulator(), [(99, "it", "FM")])  # never wrote: Telegram refuses
    announcement = announce(sessions, {"it": "Nuovo sportello casa"})
    limited.fail_next("sendMessage", 403)
    await run_sender(settings, engine, limited, workers=1)

    found = states(sessions, announcement)
    assert found[99] is DeliveryState.FAILED
    blocked = [chat for chat, state in found.items() if state is DeliveryState.BLOCKED]
    assert len(blocked) == 1
    with sessions() as session:
        subscribed = set(session.scalars(select(Subscription.chat_id)))
    assert subscribed == {1, 2, 3, 4, 5, 99} - set(blocked)


async def test_deleting_a_user_deletes_their_subscriptions_and_deliveries(
    settings: Settings, engine: Engine, sessions: sessionmaker[Session], emulator: BotApiEmulator
) -> None:
    subscribe(sessions, emulator, [(7, "uk", "AP"), (8, "uk", "AP")])
    announcement = announce(sessions, {"uk": "Новини"})
    await run_sender(settings, engine, emulator)
    with sessions.begin() as session:
        session.execute(delete(BotUser).where(BotUser.chat_id == 7))
    with sessions() as session:
        assert list(session.scalars(select(Subscription.chat_id))) == [8]
    assert states(sessions, announcement) == {8: DeliveryState.SENT}


async def test_killed_sender_resumes_without_duplicates(
    engine: Engine, sessions: sessionmaker[Session], limited: BotApiEmulator
) -> None:
    recipients = range(1, 81)
    subscribe(sessions, limited, [(chat, "bn", "PU") for chat in recipients])
    announcement = announce(sessions, {"bn": "ইতালীয় ভাষার কোর্স"})
    first = await sender_process(engine, limited, rate=20)
    async with asyncio.timeout(WAIT_SECONDS):
        await limited.wait_for(30)  # about 30 sent (rows go out in order)
    first.send_signal(signal.SIGKILL)
    await first.wait()

    second = await sender_process(engine, limited, rate=20)
    async with asyncio.timeout(WAIT_SECONDS):
        output, _ = await second.communicate()
    report = json.loads(output)[str(announcement)]
    assert report["pending"] == 0
    assert report["sent"] + report["uncertain"] == len(recipients)
    found = states(sessions, announcement)
    for chat in recipients:
        copies = len(limited.chat(chat))
        assert copies == 1 if found[chat] is DeliveryState.SENT else copies <= 1


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
async def test_two_senders_on_postgresql_send_once(
    engine: Engine, sessions: sessionmaker[Session], limited: BotApiEmulator
) -> None:
    recipients = range(1, 61)
    subscribe(sessions, limited, [(chat, "zh", "MC") for chat in recipients])
    announcement = announce(sessions, {"zh": "意大利语课程"})
    senders = [await sender_process(engine, limited, rate=25) for _ in range(2)]
    async with asyncio.timeout(WAIT_SECONDS):
        await asyncio.gather(*(sender.communicate() for sender in senders))
    assert states(sessions, announcement) == dict.fromkeys(recipients, DeliveryState.SENT)
    assert [len(limited.chat(chat)) for chat in recipients] == [1] * len(recipients)
