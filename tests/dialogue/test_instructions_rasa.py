"""Every instruction works: what an FAQ answer or a catalog string tells users to type, send or
press does something in the dialogue core, in the ten languages (issue 30).

A /command must be one the bot runs; a quoted phrase after a verb of telling ("write",
"tap", "scrivi", "اكتب", "发送"…) must be a button the bot shows, or a message the core answers
with something other than a decline or the same FAQ again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from sqlalchemy.orm import Session, sessionmaker

from content.loader import SEED_DIR
from content.text import fold, words
from dialogue.app import build_dialogue
from dialogue.chats import COMMANDS, Chats
from dialogue.core import Dialogue
from dialogue.payloads import Consent, encode
from dialogue.relay import CLOSE_COMMAND
from dialogue.reminders import ask_permit
from dialogue.replies import Reply
from dialogue.subscriptions import subscribe_menu, unsubscribe_menu
from dialogue.understanding import Decision
from shared.settings import ROOT, Settings
from shared.vocabulary import LANGUAGES
from storage.subscriptions import Topic
from storage.users import UserState
from testbed.fakes import FakeNlu

COMMAND = re.compile(r"(?<![\w/])/([a-z]+)\b")
QUOTED = re.compile(r"[\"“«„]\s*([^\"“”«»„]+?)\s*[\"”»“]")
SENTENCE_END = re.compile(r"[。！？\n]|[.!?؟۔।](?=\s|$)")
# Languages that put the verb right after what is to be typed ("“…” دبائیں").
VERB_LAST = ("ur", "bn")
# Verbs that tell the user to type, send or tap, as written in our texts (folded).
TYPING = {
    "it": "scrivi scrivilo scrivere invia inviare digita tocca premi",
    "en": "write type send tap press",
    "fr": "ecrivez ecrire tapez envoyez touchez appuyez",
    "es": "escribe escribir envia toca pulsa",
    "sq": "shkruaj shkruaji shkruani dergo dergoni prek prekni shtyp",
    "uk": "напишіть пишіть надішліть натисніть введіть",
    "ar": "اكتب اكتبوا ارسل ارسلوا اضغط اضغطوا",
    "ur": "لکھیں بھیجیں دبائیں",
    "bn": "লিখুন পাঠান চাপুন",
    "zh": "写 发送 点击 输入",
}
# Verbs of asking tell the user what to type only when the bot is the one asked: "ask the bot,
# for example …", not "ask a lawyer or a « sportello legale »".
ASKING = {
    "it": "chiedi",
    "en": "ask",
    "fr": "demandez",
    "es": "pregunta",
    "sq": "pyet pyetni",
    "uk": "запитайте",
    "ar": "اسال اسالوا",
    "ur": "پوچھیں",
    "bn": "জিজ্ঞেস",
    "zh": "问",
}
THE_BOT = "bot bota botit botin botti бота боту бот البوت بوٹ বটকে বট 机器人"


@dataclass(frozen=True)
class Told:
    """Something a text tells users to type or press, and where it says so."""

    source: str  # "faq/<slug>" or "catalog"
    language: str
    said: str


def _texts() -> Iterator[tuple[str, str, str]]:
    """(source, language, text) of every FAQ answer and short text and every catalog string."""
    for path in sorted((SEED_DIR / "faqs").glob("*.yaml")):
        for faq in yaml.safe_load(path.read_text(encoding="utf-8")):
            for language, translation in faq["translations"].items():
                for key in ("short", "answer"):
                    yield f"faq/{faq['slug']}", language, translation.get(key) or ""
    for language in LANGUAGES:
        path = ROOT / "locales" / language / "LC_MESSAGES" / "messages.po"
        with Path(path).open("rb") as catalog:
            for message in read_po(catalog):
                string = message.string
                for text in [string] if isinstance(string, str) else string or []:
                    yield "catalog", language, text or ""


def _says(clause: str, language: str, named: str) -> bool:
    """Whether the clause holds one of the words named (Chinese: anywhere, it has no spaces)."""
    found = fold(named).split()
    if language == "zh":
        return any(word in clause for word in found)
    return bool(set(found) & set(words(clause)))


def _telling(clause: str, language: str) -> bool:
    return _says(clause, language, TYPING[language]) or (
        _says(clause, language, ASKING[language]) and _says(clause, language, THE_BOT)
    )


def commands() -> list[Told]:
    """Every /command a text names."""
    found = {
        Told(source, language, name)
        for source, language, text in _texts()
        for name in COMMAND.findall(text)
    }
    return sorted(found, key=repr)


def phrases() -> list[Told]:
    """Every quoted phrase a text tells users to type or press."""
    found = set()
    for source, language, text in _texts():
        for match in QUOTED.finditer(text):
            before, after = text[: match.start()], text[match.end() :]
            starts = list(SENTENCE_END.finditer(before))
            clause = before[starts[-1].end() :] if starts else before
            if language in VERB_LAST:  # the verb right after the phrase
                clause += " " + " ".join(list(words(after))[:2])
            if _telling(clause, language) and "{" not in match.group(1):
                found.add(Told(source, language, match.group(1)))
    return sorted(found, key=repr)


def buttons(dialogue: Dialogue, language: str) -> set[str]:
    """The labels of the buttons the bot shows in its menus and its usual replies."""
    menus = dialogue.menus
    shown: list[Reply] = [
        menus.main_menu(language),
        menus.services_menu(language),
        menus.languages_menu(language),
        menus.area_menu(language),
        subscribe_menu(language, []),
        unsubscribe_menu(language, list(Topic)),
        dialogue.answers.abstain(language, []),
        ask_permit(language, None),
        *dialogue.apology(language).replies,
    ]
    return {button.label for reply in shown for button in reply.buttons}


def test_the_texts_tell_users_to_do_things() -> None:
    """The collection finds what it must (else the checks below would pass on nothing)."""
    assert {t.said for t in commands()} >= {"subscribe", "unsubscribe", "events", "permit"}
    said = {(t.language, t.said) for t in phrases()}
    assert ("en", "How do I renew my residence permit?") in said
    assert ("it", "Eventi") in said  # /subscribe, then tap "Eventi"
    assert ("en", "arabo") not in said  # said to the emergency operator, not to the bot
    assert ("en", "gratuito") not in said  # a word to recognise, not to type


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_command_named_is_one_the_bot_runs(
    language: str, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    chats = Chats(build_dialogue(settings, sessions, FakeNlu()), sessions)
    await chats.button(1, UserState(language), encode(Consent(language)))
    unknown = chats.dialogue.menus.main_menu(language).text
    for told in commands():
        if told.language != language:
            continue
        if f"/{told.said}" == CLOSE_COMMAND:
            continue  # the mediators' command, in their group (tests/bot/handlers/test_handoff.py)
        assert told.said in COMMANDS, f"{told.source} ({language}) names /{told.said}"
        turn = await chats.command(1, UserState(language), told.said, "")
        assert turn.replies
        if told.said != "menu":
            assert [r.text for r in turn.replies] != [unknown], f"/{told.said} does nothing"


@pytest.mark.rasa
@pytest.mark.parametrize("told", phrases(), ids=repr)
async def test_every_phrase_users_are_told_to_type_or_tap_does_something(
    told: Told, dialogue: Dialogue
) -> None:
    if told.said in buttons(dialogue, told.language):
        return
    turn = await dialogue.handle_text(UserState(told.language), told.said)
    assert turn.decision is Decision.ANSWER, f"{told.source} tells users to type {told.said!r}"
    understood = turn.understanding.faq if turn.understanding else None
    assert f"faq/{understood}" != told.source, f"{told.said!r} gives {told.source} back"
