""" "🔊 Listen" and "🇮🇹 Show at the office" through the real bot and the Bot API emulator: a
voice message made once, and the desk card in Italian and the user's language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.loader import load_seed
from dialogue.desk import LRM, RLM
from dialogue.payloads import (
    Consent,
    Listen,
    ListenOffice,
    SetArea,
    ShowDesk,
    ShowFaq,
    ShowMenu,
    ShowOffice,
    encode,
)
from shared.i18n import translations
from shared.settings import Settings, VoiceSettings
from shared.vocabulary import LANGUAGES
from storage.content import Faq, Service, TranslationStatus
from testbed.botapi import BotApiEmulator
from tests.support.content import translation
from tests.support.telegram import RunningBot, offline_polling, payloads, plain

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


# "🇮🇹 Show at the office": the desk card, Italian first, then the user's language.


@pytest.fixture
async def desk_bot(
    settings: Settings, emulator: BotApiEmulator, sessions: sessionmaker[Session]
) -> AsyncIterator[RunningBot]:
    """The bot on a database of its own with the seed content (a test may unpublish a text)."""
    with sessions.begin() as session:
        load_seed(session)
    async with offline_polling(settings, emulator, sessions) as bot:
        yield bot


async def in_province(
    emulator: BotApiEmulator, bot: RunningBot, user: dict[str, Any], province: str
) -> None:
    """The user agrees to the notice in their language and says which province they live in."""
    chat = user["id"]
    await bot.handled(emulator.send_text(user, "/start"))
    await bot.handled(
        emulator.tap(user, emulator.chat(chat)[0], encode(Consent(user["language_code"])))
    )
    await bot.handled(emulator.tap(user, emulator.chat(chat)[0], encode(SetArea(province))))


def questura(sessions: sessionmaker[Session], province: str) -> str:
    with sessions() as session:
        return session.scalars(
            select(Service.name).where(Service.kind == "questura", Service.province == province)
        ).one()


async def shown_card(
    emulator: BotApiEmulator,
    bot: RunningBot,
    user: dict[str, Any],
    slug: str,
    province: str | None = None,
) -> list[str]:
    """The lines of the card the user gets from the button under the FAQ's answer (the button
    carries the province the answer was about)."""
    await bot.handled(emulator.press(user, encode(ShowFaq(slug))))
    button = encode(ShowDesk(slug, province))
    answer = next(m for m in emulator.chat(user["id"]) if button in payloads(m))
    await bot.handled(emulator.tap(user, answer, button))
    return plain(emulator.chat(user["id"])[-1]["text"]).split("\n")


def block(
    sessions: sessionmaker[Session], language: str, office: str, labels: tuple[str, str], mark: str
) -> list[str]:
    """The lines a language's half of the card should have: the FAQ's own desk text."""
    desk = translation(sessions, SLUG, language).desk
    assert desk is not None
    office_label, bring = labels
    lines = [desk["need"], f"{office_label}: {office}", bring]
    return [mark + line for line in [*lines, *(f"• {d}" for d in desk["documents"])]]


@pytest.mark.parametrize(("language", "province"), [("ur", "FM"), ("it", "AN")])
async def test_the_desk_card_is_italian_then_the_users_language_with_the_province_office(
    emulator: BotApiEmulator,
    desk_bot: RunningBot,
    sessions: sessionmaker[Session],
    language: str,
    province: str,
) -> None:
    user = emulator.user(4500, language)
    await in_province(emulator, desk_bot, user, province)
    lines = await shown_card(emulator, desk_bot, user, SLUG, province)

    office = questura(sessions, province)
    if language == "it":  # an Italian user: the Italian card only, no marks
        assert lines == block(sessions, "it", office, ("Ufficio", "Porto con me:"), "")
        return
    # Italian for the clerk, each line marked left to right; then Urdu, right to left.
    assert lines == [
        *block(sessions, "it", office, ("Ufficio", "Porto con me:"), LRM),
        "",
        *block(sessions, "ur", office, ("دفتر", "میرے پاس یہ ہیں:"), RLM),
    ]
    # Latin runs are isolated as in every Urdu reply, so the office's name keeps its order.
    raw = emulator.chat(4500)[-1]["text"].split("\n")
    assert raw[lines.index(f"{RLM}دفتر: {office}")].startswith(f"{RLM}دفتر: \u2068Questura")
    assert emulator.errors == []


async def test_without_a_province_the_card_asks_for_it(
    emulator: BotApiEmulator, desk_bot: RunningBot
) -> None:
    user = emulator.user(4502, "es")
    lines = await shown_card(emulator, desk_bot, user, SLUG)
    assert not any(line.startswith(("Ufficio:", "Oficina:")) for line in lines)
    ask = translations("es").gettext(
        "Tell me your province with /area to see the offices near you."
    )
    assert lines[-1] == ask


async def test_an_faq_without_desk_text_shows_no_button(
    emulator: BotApiEmulator, desk_bot: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = emulator.user(4503, "fr")
    # An emergency number is called, not visited: its FAQ has no desk text.
    assert translation(sessions, "emergency_numbers", "it").desk is None
    await desk_bot.handled(emulator.press(user, encode(ShowFaq("emergency_numbers"))))
    sent = [data for message in emulator.chat(4503) for data in payloads(message)]
    assert sent and not any(data.startswith("desk:") for data in sent)


@pytest.mark.parametrize("language", ["it", "ar"])
async def test_a_forged_card_of_an_unpublished_faq_is_no_longer_listed(
    emulator: BotApiEmulator,
    desk_bot: RunningBot,
    sessions: sessionmaker[Session],
    language: str,
) -> None:
    with sessions.begin() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == SLUG)).one()
        for text in faq.translations:
            text.status = TranslationStatus.DRAFT
    user = emulator.user(4504, language)
    for forged in (encode(ShowDesk(SLUG)), encode(ShowDesk("no_such_faq", "AN"))):
        await desk_bot.handled(emulator.press(user, forged))
        reply = emulator.chat(4504)[-1]
        _ = translations(language).gettext
        assert plain(reply["text"]) == _("This answer is no longer listed.")
        assert payloads(reply) == [encode(ShowMenu())]
    assert emulator.errors == []
