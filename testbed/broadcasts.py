"""Subscribers, announcements and sender settings for the broadcast tests and bench."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from shared.settings import ROOT, BroadcastSettings, Settings
from storage.subscriptions import (
    Announcement,
    AnnouncementStatus,
    Delivery,
    DeliveryState,
    Subscription,
    Topic,
)
from storage.users import BotUser
from testbed.botapi import TOKEN, BotApiEmulator


def subscribe(
    sessions: sessionmaker[Session],
    emulator: BotApiEmulator,
    people: Iterable[tuple[int, str, str | None]],
    topic: Topic = Topic.EVENTS,
) -> None:
    """Users (chat id, language, province) who wrote to the bot and follow `topic`."""
    people = list(people)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        session.execute(
            insert(BotUser),
            [
                {"chat_id": c, "language": lang, "province": p, "consented_at": now}
                for c, lang, p in people
            ],
        )
        session.execute(
            insert(Subscription), [{"chat_id": c, "topic": topic} for c, _, _ in people]
        )
    for chat_id, _, _ in people:
        emulator.user(chat_id)  # Telegram knows a chat only once its user wrote to the bot


def announce(
    sessions: sessionmaker[Session],
    texts: dict[str, str],
    *,
    provinces: list[str] | None = None,
    languages: list[str] | None = None,
    fallback: str | None = None,
    send_at: datetime | None = None,
) -> int:
    """A scheduled announcement about events, due now unless `send_at` says otherwise."""
    with sessions.begin() as session:
        announcement = Announcement(
            texts=texts,
            provinces=provinces or [],
            languages=languages or [],
            topics=[Topic.EVENTS.value],
            send_at=send_at or datetime.now(UTC),
            status=AnnouncementStatus.SCHEDULED,
            fallback_language=fallback,
            created_by="editor",
        )
        session.add(announcement)
        session.flush()
        return announcement.id


def sender_settings(settings: Settings, emulator: BotApiEmulator, **broadcast: float) -> Settings:
    """The app settings pointed at the emulator, with these broadcast settings."""
    return settings.model_copy(
        update={
            "telegram_bot_token": TOKEN,
            "telegram_api_base_url": emulator.base_url,
            "broadcast": BroadcastSettings.model_validate(broadcast),
        }
    )


def states(sessions: sessionmaker[Session], announcement_id: int) -> dict[int, DeliveryState]:
    """Each recipient's delivery state."""
    with sessions() as session:
        rows = session.execute(
            select(Delivery.chat_id, Delivery.state).where(
                Delivery.announcement_id == announcement_id
            )
        )
        return {chat_id: DeliveryState(state) for chat_id, state in rows}


async def sender_process(
    engine: Engine,
    emulator: BotApiEmulator,
    rate: int,
    extra: dict[str, str] | None = None,
    action: str = "send",
) -> asyncio.subprocess.Process:
    """`python -m broadcast [send|serve]` as its own process on this database and the emulator."""
    env = {
        **os.environ,
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "PRIMM_BROADCAST__RATE": str(rate),
        "PRIMM_HEALTH__PORT": "0",
        **(extra or {}),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "broadcast",
        action,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
