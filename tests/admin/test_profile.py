"""Linking an editor's Telegram chat: only a one-time code sent to the bot from that private chat
links it (through the real bot and the Bot API emulator); a typed chat id is refused."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import Engine, select

from storage.admin import AdminUser, AuditEntry
from storage.db import make_sessionmaker
from testbed.botapi import BotApiEmulator
from tests.support.admin import post_form
from tests.support.telegram import RunningBot

EDITOR_CHAT = 9900
STRANGER = 4242
GROUP = -1001234


def linked(engine: Engine) -> dict[str, int | None]:
    """Each account's linked chat."""
    with make_sessionmaker(engine)() as session:
        rows = session.execute(select(AdminUser.username, AdminUser.telegram_chat_id))
        return {row.username: row.telegram_chat_id for row in rows}


async def link_command(editor: httpx.AsyncClient) -> str:
    """What "Make a link code" tells the editor to send to the bot."""
    page = await post_form(editor, "/profile/code", {}, page="/profile")
    match = re.search(r'id="link-command">(/start link-\w+)<', page.text)
    assert match, page.text
    return match.group(1)


async def test_a_typed_chat_id_is_refused(editor: httpx.AsyncClient, seeded_both: Engine) -> None:
    refused = await post_form(editor, "/profile", {"telegram_chat_id": "9900"}, page="/profile")
    assert refused.status_code == 405
    assert set(linked(seeded_both).values()) == {None}
    assert 'name="telegram_chat_id"' not in (await editor.get("/profile")).text


async def test_a_code_sent_from_a_private_chat_links_exactly_that_chat(
    editor: httpx.AsyncClient,
    seeded_both: Engine,
    emulator: BotApiEmulator,
    offline_bot: RunningBot,
) -> None:
    command = await link_command(editor)
    stranger, owner = emulator.user(STRANGER, "it"), emulator.user(EDITOR_CHAT, "it")
    emulator.group(GROUP, "Mediatori")
    await offline_bot.handled(emulator.send_text(stranger, "/start link-ABCDEFGHJKMN"))
    await offline_bot.handled(emulator.write_in_group(stranger, GROUP, command))
    assert set(linked(seeded_both).values()) == {None}  # a wrong code, a group: nothing

    await offline_bot.handled(emulator.send_text(owner, command))
    [confirmed] = emulator.chat(EDITOR_CHAT)
    assert "collegata all'account di amministrazione editor" in confirmed["text"]
    await offline_bot.handled(emulator.send_text(stranger, command))  # used once only
    assert "non collega nulla" in emulator.chat(STRANGER)[-1]["text"]
    assert {name: chat for name, chat in linked(seeded_both).items() if chat} == {
        "editor": EDITOR_CHAT
    }
    with make_sessionmaker(seeded_both)() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "profile.link"))
        assert [e.after for e in entry] == [{"telegram_chat_id": EDITOR_CHAT}]
    assert 'id="chat-status"' in (page := (await editor.get("/profile")).text)
    assert "è collegata al tuo account" in page


async def test_a_newer_code_replaces_the_older(
    editor: httpx.AsyncClient,
    seeded_both: Engine,
    emulator: BotApiEmulator,
    offline_bot: RunningBot,
) -> None:
    older, newer = await link_command(editor), await link_command(editor)
    owner = emulator.user(EDITOR_CHAT, "en")
    await offline_bot.handled(emulator.send_text(owner, older))
    assert linked(seeded_both)["editor"] is None
    assert "links nothing" in emulator.chat(EDITOR_CHAT)[-1]["text"]
    await offline_bot.handled(emulator.send_text(owner, newer))
    assert linked(seeded_both)["editor"] == EDITOR_CHAT
