""" "🔊 Listen" through the real bot and the Bot API emulator: a voice message, made once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from dialogue.payloads import Listen, ListenOffice, ShowFaq, ShowOffice, encode
from shared.settings import Settings, VoiceSettings
from shared.vocabulary import LANGUAGES
from testbed.botapi import BotApiEmulator
from tests.support.telegram import RunningBot, offline_polling, payloads

SLUG = "permit_renewal"


def kept(directory: Path) -> list[Path]:
    """The voice notes made so far."""
    return list(directory.iterdir())


@pytest.fixture
async def speaking_bot(
    settings: Settings, emulator: BotApiEmulator, seeded: sessionmaker[Session], tmp_path: Path
) -> AsyncIterator[RunningBot]:
    """The bot on the seed content, Italian's voice on and Arabic's off, notes kept in tmp."""
    local = settings.model_copy(update={"voice": VoiceSettings(dir=tmp_path, languages=["it"])})
    async with offline_polling(local, emulator, seeded) as bot:
        yield bot


@pytest.fixture
async def every_voice_bot(
    settings: Settings, emulator: BotApiEmulator, seeded: sessionmaker[Session], tmp_path: Path
) -> AsyncIterator[RunningBot]:
    """The bot with every language's voice on."""
    voice = VoiceSettings(dir=tmp_path, languages=list(LANGUAGES))
    async with offline_polling(
        settings.model_copy(update={"voice": voice}), emulator, seeded
    ) as bot:
        yield bot


async def test_each_language_on_gets_its_voice_note(
    emulator: BotApiEmulator, every_voice_bot: RunningBot
) -> None:
    for number, language in enumerate(LANGUAGES):
        user = emulator.user(4400 + number, language)
        await every_voice_bot.handled(emulator.press(user, encode(ShowFaq(SLUG))))
        answer = emulator.chat(user["id"])[-1]
        await every_voice_bot.handled(emulator.tap(user, answer, encode(Listen(SLUG))))
        voice = emulator.chat(user["id"])[-1]["voice"]
        data = emulator.files[voice["file_id"]]
        assert data.startswith(b"OggS") and data[28:36] == b"OpusHead", language
        # A short answer of a few lines takes 5 to 40 seconds to say; 24 kbit/s is 3 KB a second.
        assert 5 <= voice["duration"] <= 40, language
        assert 1_500 <= len(data) / voice["duration"] <= 5_000, language
    assert emulator.errors == []


async def test_listen_sends_a_voice_note_made_once(
    emulator: BotApiEmulator, speaking_bot: RunningBot, tmp_path: Path
) -> None:
    user = emulator.user(4300, "it")
    await speaking_bot.handled(emulator.press(user, encode(ShowFaq(SLUG))))
    answer = emulator.chat(4300)[-1]
    assert encode(Listen(SLUG)) in payloads(answer)

    for _tap in range(2):
        await speaking_bot.handled(emulator.tap(user, answer, encode(Listen(SLUG))))
    sent = [call for call in emulator.calls if call.method == "sendVoice"]
    assert len(sent) == 2 and emulator.errors == []
    for message in emulator.chat(4300)[-2:]:
        voice = message["voice"]
        data = emulator.files[voice["file_id"]]
        assert data.startswith(b"OggS") and data[28:36] == b"OpusHead"
        assert voice["mime_type"] == "audio/ogg" and 3 <= voice["duration"] <= 60
    first, second = (emulator.files[m["voice"]["file_id"]] for m in emulator.chat(4300)[-2:])
    assert first == second and len(kept(tmp_path)) == 1  # the kept file, sent again


async def test_an_office_card_is_read_aloud(
    emulator: BotApiEmulator, speaking_bot: RunningBot, tmp_path: Path
) -> None:
    user = emulator.user(4302, "it")
    await speaking_bot.handled(emulator.press(user, encode(ShowOffice("questura_pesaro_urbino"))))
    card = emulator.chat(4302)[-1]
    await speaking_bot.handled(
        emulator.tap(user, card, encode(ListenOffice("questura_pesaro_urbino")))
    )
    voice = emulator.chat(4302)[-1]["voice"]
    assert emulator.files[voice["file_id"]][28:36] == b"OpusHead" and voice["duration"] >= 3
    assert [note.name.split(".")[:3] for note in kept(tmp_path)] == [
        ["office", "questura_pesaro_urbino", "it"]
    ]
    assert emulator.errors == []


async def test_a_language_whose_voice_is_off_shows_no_button(
    emulator: BotApiEmulator, speaking_bot: RunningBot, tmp_path: Path
) -> None:
    user = emulator.user(4301, "ar")
    await speaking_bot.handled(emulator.press(user, encode(ShowFaq(SLUG))))
    assert encode(Listen(SLUG)) not in payloads(emulator.chat(4301)[-1])
    # An old or forged button of a language that is off gets the menu, never a voice note.
    await speaking_bot.handled(emulator.press(user, encode(Listen(SLUG))))
    assert "voice" not in emulator.chat(4301)[-1]
    assert kept(tmp_path) == [] and emulator.errors == []
