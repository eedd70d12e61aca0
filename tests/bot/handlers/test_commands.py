"""Every command in Telegram's menu answers in the user's language, over the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.handlers.commands import descriptions
from dialogue.core import Dialogue
from dialogue.payloads import ChooseLanguage, Consent, DeleteData, SetArea, encode
from dialogue.privacy import confirm_delete, mydata, privacy
from dialogue.replies import Reply
from render.telegram import render
from shared.i18n import translations
from shared.settings import Settings
from shared.vocabulary import LANGUAGES
from storage.content import Event
from storage.users import UserState, UserStore
from testbed.botapi import BotApiEmulator
from tests.support.telegram import RunningBot, payloads


def shown(reply: Reply) -> str:
    """The text a reply has once Telegram parsed its HTML."""
    return render(reply)[0].text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


async def consent(
    emulator: BotApiEmulator, bot: RunningBot, user: dict[str, object], code: str
) -> None:
    await bot.handled(emulator.send_text(user, "/start"))
    await bot.handled(
        emulator.tap(user, emulator.chat(int(str(user["id"])))[-1], encode(Consent(code)))
    )


async def test_commands_are_listed_in_every_language(
    emulator: BotApiEmulator, bot: RunningBot
) -> None:
    assert set(emulator.commands) == {"", *(code for code in LANGUAGES if code != "it")}
    names = ["start", "menu", "language", "area", "events", "subscribe", "unsubscribe", "permit"]
    names += ["help"]
    names += ["privacy", "mydata", "deletedata"]
    for code in LANGUAGES:
        listed = emulator.commands["" if code == "it" else code]
        assert [c["command"] for c in listed] == names
        assert [c["description"] for c in listed] == [c.description for c in descriptions(code)]
    assert emulator.commands["ar"] != emulator.commands["zh"], "descriptions are translated"


@pytest.mark.parametrize(
    ("command", "language"),
    [
        ("/privacy", "sq"),
        ("/help", "bn"),
        ("/events", "es"),
        ("/menu", "ur"),
        ("/deletedata", "fr"),
    ],
)
async def test_informative_commands_answer_without_consent(
    emulator: BotApiEmulator,
    bot: RunningBot,
    dialogue: Dialogue,
    settings: Settings,
    command: str,
    language: str,
) -> None:
    user = emulator.user(3000 + len(command), language)
    await bot.handled(emulator.send_text(user, command))
    expected = {
        "/privacy": [privacy(language, settings.retention_days)],
        "/help": dialogue.answers.conversation("help", language, None),
        "/events": dialogue.lists.category_replies("events", language, None),
        "/menu": [dialogue.menus.main_menu(language)],
        "/deletedata": [confirm_delete(language)],
    }[command]
    assert [m["text"] for m in emulator.chat(user["id"])] == [shown(r) for r in expected]
    assert emulator.errors == []


async def test_area_and_language_need_consent_then_edit_in_place(
    emulator: BotApiEmulator, bot: RunningBot, dialogue: Dialogue, sessions: sessionmaker[Session]
) -> None:
    user = emulator.user(3100, "zh")
    await bot.handled(emulator.send_text(user, "/area"))
    [picker] = emulator.chat(user["id"])
    assert encode(Consent("zh")) in payloads(picker), "the notice comes first"
    await bot.handled(emulator.tap(user, picker, encode(Consent("zh"))))

    await bot.handled(emulator.send_text(user, "/language"))
    languages = emulator.chat(user["id"])[-1]
    assert languages["text"] == dialogue.menus.languages_menu("zh").text
    await bot.handled(emulator.tap(user, languages, encode(ChooseLanguage("uk"))))
    assert emulator.chat(user["id"])[-1]["message_id"] == languages["message_id"]
    assert UserStore(sessions).load(user["id"]) == UserState("uk")

    await bot.handled(emulator.send_text(user, "/area"))
    area = emulator.chat(user["id"])[-2]
    assert area["text"] == dialogue.menus.area_menu("uk").text
    assert emulator.errors == []


async def test_deletedata_asks_first_and_no_keeps_everything(
    emulator: BotApiEmulator, bot: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = emulator.user(3200, "ar")
    store = UserStore(sessions)
    await consent(emulator, bot, user, "ar")
    await bot.handled(emulator.send_text(user, "/deletedata"))
    question = emulator.chat(user["id"])[-1]
    assert payloads(question) == [encode(DeleteData(True)), encode(DeleteData(False))]
    await bot.handled(emulator.tap(user, question, encode(DeleteData(False))))
    assert store.load(user["id"]) == UserState("ar")
    _ = translations("ar").gettext
    assert emulator.chat(user["id"])[-1]["text"] == _("Nothing was deleted.")

    await bot.handled(emulator.send_text(user, "/deletedata"))
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[-1], encode(DeleteData(True))))
    assert store.load(user["id"]) is None
    await bot.handled(emulator.send_text(user, "/deletedata"))
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[-1], encode(DeleteData(True))))
    assert emulator.chat(user["id"])[-1]["text"] == _("I keep nothing about you.")
    assert emulator.errors == []


async def test_mydata_shows_exactly_what_is_stored(
    emulator: BotApiEmulator, bot: RunningBot, sessions: sessionmaker[Session]
) -> None:
    user = emulator.user(3300, "es")
    await bot.handled(emulator.send_text(user, "/mydata"))
    _ = translations("es").gettext
    assert emulator.chat(user["id"])[-1]["text"] == _("I keep nothing about you.")

    await consent(emulator, bot, user, "es")
    await bot.handled(emulator.tap(user, emulator.chat(user["id"])[-2], encode(SetArea("FM"))))
    await bot.handled(
        emulator.tap(user, emulator.chat(user["id"])[-2], encode(SetArea("FM", "Fermo")))
    )
    await bot.handled(emulator.send_text(user, "/mydata"))
    shown = emulator.chat(user["id"])[-1]["text"]
    stored = UserStore(sessions).row(user["id"])
    assert stored is not None
    assert shown == mydata("es", stored, []).text
    for fact in ("3300", "Español", "FM", "Fermo", str(stored.consented_at.year)):
        assert fact in shown


async def test_events_show_a_language_only_once_it_is_published(
    emulator: BotApiEmulator, offline_bot: RunningBot, sessions: sessionmaker[Session]
) -> None:
    soon = datetime.now(UTC) + timedelta(days=5)
    with sessions.begin() as session:
        festa = Event(
            slug="festa_quartiere",
            translations={
                "it": {"title": "Festa di quartiere", "text": "Musica"},
                "uk": {"title": "Свято району", "text": "Музика"},
            },
            statuses={"uk": "reviewed"},
            starts_at=soon,
            source_url="https://example.org/festa",
        )
        unwritten = Event(
            slug="mercato_bozza",
            translations={"it": {"title": "Mercato in bozza", "text": "—"}},
            statuses={"it": "draft"},
            starts_at=soon,
            source_url="https://example.org/mercato",
        )
        session.add_all([festa, unwritten])
    user = emulator.user(4300, "uk")
    await offline_bot.handled(emulator.send_text(user, "/events"))
    listing = emulator.chat(4300)[-1]["text"]
    assert "Festa di quartiere" in listing and "Свято району" not in listing
    assert "mercato_bozza" not in listing and "Mercato" not in listing, "nothing published"
    with sessions.begin() as session:
        session.get_one(Event, festa.id).statuses = {"uk": "published"}
    await offline_bot.handled(emulator.send_text(user, "/events"))
    assert "Свято району" in emulator.chat(4300)[-1]["text"]
