"""/subscribe and /unsubscribe: opt-in after consent, confirmed, showing what is followed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogue.payloads import Consent, Follow, decode, encode
from dialogue.subscriptions import following, topic_name
from shared.vocabulary import LANGUAGES
from storage.subscriptions import Subscription, Topic
from testbed.botapi import BotApiEmulator
from tests.support.telegram import RunningBot, payloads


def followed(sessions: sessionmaker[Session], chat_id: int) -> set[Topic]:
    with sessions() as session:
        query = select(Subscription.topic).where(Subscription.chat_id == chat_id)
        return set(session.scalars(query))


async def test_subscribe_and_unsubscribe_by_topic(
    emulator: BotApiEmulator, offline_bot: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = emulator.user(4100, "uk")
    await offline_bot.handled(emulator.send_text(user, "/subscribe"))
    assert all(
        isinstance(decode(p), Consent) for p in payloads(emulator.chat(4100)[-1])
    )  # consent first
    await offline_bot.handled(emulator.tap(user, emulator.chat(4100)[-1], encode(Consent("uk"))))

    await offline_bot.handled(emulator.send_text(user, "/subscribe"))
    menu = emulator.chat(4100)[-1]
    assert payloads(menu) == [encode(Follow(topic.value, on=True)) for topic in Topic]
    await offline_bot.handled(emulator.tap(user, menu, encode(Follow("events", on=True))))
    assert followed(sessions, 4100) == {Topic.EVENTS}
    confirmed = emulator.chat(4100)[-1]["text"]
    assert topic_name(Topic.EVENTS, "uk") in confirmed and "/unsubscribe" in confirmed

    await offline_bot.handled(emulator.send_text(user, "/subscribe"))
    menu = emulator.chat(4100)[-1]
    assert following("uk", [Topic.EVENTS]) in menu["text"]
    await offline_bot.handled(emulator.tap(user, menu, encode(Follow("housing", on=True))))
    assert followed(sessions, 4100) == {Topic.EVENTS, Topic.HOUSING}

    await offline_bot.handled(emulator.send_text(user, "/unsubscribe"))
    menu = emulator.chat(4100)[-1]
    assert payloads(menu) == [
        encode(Follow("events", on=False)),
        encode(Follow("housing", on=False)),
    ]
    await offline_bot.handled(emulator.tap(user, menu, encode(Follow("events", on=False))))
    assert followed(sessions, 4100) == {Topic.HOUSING}
    assert following("uk", [Topic.HOUSING]) in emulator.chat(4100)[-1]["text"]
    await offline_bot.handled(emulator.send_text(user, "/mydata"))  # part of what the bot keeps
    assert following("uk", [Topic.HOUSING]) in emulator.chat(4100)[-1]["text"]
    assert emulator.errors == []


async def test_commands_are_listed_in_every_language(
    emulator: BotApiEmulator, offline_bot: RunningBot
) -> None:
    for code in LANGUAGES:
        names = [c["command"] for c in emulator.commands["" if code == "it" else code]]
        assert {"subscribe", "unsubscribe"} <= set(names)
