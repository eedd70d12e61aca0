"""An editor writes an announcement in the tool; the real sender delivers it once to its audience,
tests reach only the chat linked to the account (a few an hour, audited with their target), a
cancelled one sends nothing, the report counts rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from broadcast.sender import make_bot, send_due
from shared.clock import ROME
from shared.settings import Settings
from storage.admin import AdminUser, AuditEntry
from storage.db import make_sessionmaker
from storage.links import LinkStore, new_code
from storage.subscriptions import Announcement, AnnouncementStatus, Delivery, DeliveryState
from testbed.botapi import BotApiEmulator
from testbed.broadcasts import sender_settings, subscribe
from tests.support.admin import csrf_token

EDITOR_CHAT = 9900


@pytest.fixture
def configured(settings: Settings, emulator: BotApiEmulator) -> Settings:
    return sender_settings(settings, emulator)


@pytest.fixture
def editor_settings(configured: Settings, request: pytest.FixtureRequest) -> Settings:
    """The editor's tool sends through the emulator (admin settings changed by parameter)."""
    changes = getattr(request, "param", {})
    return configured.model_copy(update={"admin": configured.admin.model_copy(update=changes)})


async def post(client: httpx.AsyncClient, path: str, data: dict[str, object]) -> httpx.Response:
    token = csrf_token((await client.get("/announcements")).text)
    return await client.post(path, data={"csrftoken": token, **data})


async def send(configured: Settings, engine: Engine) -> None:
    async with make_bot(configured) as bot:
        await send_due(configured, engine, bot)


def totals(html: str) -> dict[str, int]:
    return {s: int(n) for s, n in re.findall(r'data-total="(\w+)">(\d+)<', html)}


async def test_written_scheduled_delivered_once_to_its_audience_with_report(
    editor: httpx.AsyncClient,
    configured: Settings,
    seeded_both: Engine,
    emulator: BotApiEmulator,
) -> None:
    sessions: sessionmaker[Session] = make_sessionmaker(seeded_both)
    subscribe(sessions, emulator, [(1, "ar", "AN"), (2, "ur", "MC"), (3, "ar", "PU")])
    subscribe(sessions, emulator, [(4, "fr", "AN")])
    form = {
        "text_ar": "معرض الوظائف الثلاثاء",
        "status_ar": "published",
        "text_it": "Fiera del lavoro martedì",
        "status_it": "published",
        "text_ur": "مسودہ",
        "status_ur": "draft",  # not published: Urdu readers get the Italian fallback
        "provinces": ["AN", "MC"],
        "languages": ["ar", "ur"],
        "topics": ["events"],
        "fallback": "it",
    }
    created = await post(editor, "/announcements/new", form)
    path = created.headers["location"]
    page = (await editor.get(path)).text
    assert "معرض الوظائف الثلاثاء" in page and "Fiera del lavoro" in page  # previews
    await post(editor, f"{path}/schedule", {"now": "1"})
    await send(configured, seeded_both)
    await send(configured, seeded_both)  # a second pass sends nothing again

    assert [m["text"] for m in emulator.chat(1)] == [form["text_ar"]]
    assert [m["text"] for m in emulator.chat(2)] == [form["text_it"]]
    assert emulator.chat(3) == emulator.chat(4) == []
    with sessions() as session:
        rows = session.execute(select(Delivery.state, Delivery.language, Delivery.province))
        assert sorted(rows) == [(DeliveryState.SENT, "ar", "AN"), (DeliveryState.SENT, "it", "MC")]
        announcement = session.scalars(select(Announcement)).one()
        assert announcement.status is AnnouncementStatus.DONE
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"announcement.create", "announcement.schedule"} <= actions
    page = (await editor.get(path)).text
    assert totals(page) == {"pending": 0, "sent": 2, "failed": 0, "blocked": 0, "uncertain": 0}
    assert "By province" in page or "Per provincia" in page
    refused = await post(editor, path, {"text_ar": "changed", "topics": ["events"]})
    assert refused.status_code == 303
    assert emulator.errors == []


def link(sessions: sessionmaker[Session], username: str, chat_id: int) -> None:
    """Link a chat to the account as the bot does when the code arrives from it."""
    now = datetime.now(UTC)
    with sessions.begin() as session:
        account = session.scalars(select(AdminUser).where(AdminUser.username == username)).one()
        code = new_code(session, account.id, now, timedelta(minutes=5))
    assert LinkStore(sessions).redeem(code, chat_id, now) == username


def audited_tests(sessions: sessionmaker[Session]) -> list[dict[str, object] | None]:
    with sessions() as session:
        found = session.scalars(select(AuditEntry).where(AuditEntry.action == "announcement.test"))
        return [entry.after for entry in found]


async def draft(editor: httpx.AsyncClient) -> str:
    """A new announcement with a draft text in Spanish; its page's path."""
    created = await post(
        editor, "/announcements/new", {"text_es": "Curso <gratis>", "topics": ["events"]}
    )
    return str(created.headers["location"])


async def test_an_unlinked_account_cannot_send_a_test(
    editor: httpx.AsyncClient, seeded_both: Engine, emulator: BotApiEmulator
) -> None:
    sessions: sessionmaker[Session] = make_sessionmaker(seeded_both)
    emulator.user(EDITOR_CHAT)
    path = await draft(editor)
    # A chat id typed in the profile proves nothing and is not taken.
    token = csrf_token((await editor.get("/profile")).text)
    await editor.post("/profile", data={"csrftoken": token, "telegram_chat_id": str(EDITOR_CHAT)})
    await post(editor, f"{path}/test", {"language": "es"})
    assert emulator.chat(EDITOR_CHAT) == []
    assert audited_tests(sessions) == []
    assert "Prima collega la tua chat Telegram" in (await editor.get(path)).text


@pytest.mark.parametrize("editor_settings", [{"test_sends_per_hour": 2}], indirect=True)
async def test_tests_go_to_the_linked_chat_only_audited_and_limited(
    editor: httpx.AsyncClient, seeded_both: Engine, emulator: BotApiEmulator
) -> None:
    sessions: sessionmaker[Session] = make_sessionmaker(seeded_both)
    subscribe(sessions, emulator, [(1, "es", "AN")])
    emulator.user(EDITOR_CHAT)
    link(sessions, "editor", EDITOR_CHAT)
    path = await draft(editor)
    for _ in range(3):
        await post(editor, f"{path}/test", {"language": "es"})
    # A draft reaches the linked chat, twice: the third test in the hour is refused.
    assert [m["text"] for m in emulator.chat(EDITOR_CHAT)] == ["Curso <gratis>"] * 2
    assert "Troppe prove" in (await editor.get(path)).text
    assert emulator.chat(1) == []
    assert (
        audited_tests(sessions)
        == [{"language": "es", "chat_id": EDITOR_CHAT, "outcome": "sent"}] * 2
    )
    with sessions() as session:
        assert session.scalars(select(Delivery)).all() == []


async def test_cancelled_before_its_time_sends_nothing(
    editor: httpx.AsyncClient,
    configured: Settings,
    seeded_both: Engine,
    emulator: BotApiEmulator,
) -> None:
    sessions: sessionmaker[Session] = make_sessionmaker(seeded_both)
    subscribe(sessions, emulator, [(1, "it", "FM")])
    form = {"text_it": "Ciao", "topics": ["events"]}
    created = await post(editor, "/announcements/new", form)
    path = created.headers["location"]
    await post(editor, f"{path}/schedule", {"now": "1"})  # a draft text is never sent
    form["status_it"] = "published"
    await post(editor, path, form)
    soon = (datetime.now(UTC) + timedelta(minutes=5)).astimezone(ROME).strftime("%Y-%m-%dT%H:%M")
    await post(editor, f"{path}/schedule", {"send_at": soon})
    with sessions() as session:
        announcement = session.scalars(select(Announcement)).one()
        assert announcement.status is AnnouncementStatus.SCHEDULED
    await post(editor, f"{path}/cancel", {})
    with sessions.begin() as session:
        announcement = session.scalars(select(Announcement)).one()
        assert announcement.status is AnnouncementStatus.CANCELLED
        announcement.send_at = datetime.now(UTC) - timedelta(seconds=1)  # its time has come
    await send(configured, seeded_both)
    assert emulator.chat(1) == []
