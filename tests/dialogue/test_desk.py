"""The desk card of every seed FAQ that has one, in every language and province: one message
Telegram accepts, Italian first, and the office of the province or the nearest one."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from content.loader import seed_faqs
from dialogue.app import build_dialogue
from dialogue.core import Dialogue
from dialogue.desk import LRM, RLM
from dialogue.payloads import ShowDesk, encode
from render.telegram import render
from shared.settings import Settings
from shared.vocabulary import LANGUAGES, PROVINCES
from storage.users import UserState
from testbed.fakes import FakeNlu

CARDS = {faq.slug: faq for faq in seed_faqs() if faq.translations["it"].desk is not None}


def core(settings: Settings, seeded: sessionmaker[Session]) -> Dialogue:
    return build_dialogue(settings, seeded, FakeNlu())


async def test_every_card_is_one_message_with_italian_first(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = core(settings, seeded)
    assert len(CARDS) >= 40
    for slug, faq in CARDS.items():
        assert faq.offices, f"{slug}: a desk card names an office"
        italian = faq.translations["it"].desk
        assert italian is not None
        for language in LANGUAGES:
            for province in (None, *PROVINCES):
                state = UserState(language, province)
                turn = await dialogue.handle_button(state, encode(ShowDesk(slug)))
                [reply] = turn.replies
                [message] = render(reply)
                own = faq.translations[language].desk
                assert own is not None, f"{slug}: no {language} card"
                first, *_ = reply.text.split("\n")
                assert first.removeprefix(LRM) == italian.need
                assert own.need in reply.text, (slug, language)
                if language in ("ar", "ur"):
                    assert f"\n\n{RLM}{own.need}" in reply.text
                assert len(message.text) < 2000


async def test_a_province_without_the_office_gets_the_nearest(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = core(settings, seeded)
    turn = await dialogue.handle_button(
        UserState("it", "FM"), encode(ShowDesk("erdis_scholarship_housing"))
    )
    # ERDIS serves the whole region; Fermo has no university: the nearest province's comes.
    erdis = "ERDIS Marche – Ente Regionale per il Diritto allo Studio"
    assert f"Ufficio: {erdis} / Università di Camerino" in turn.replies[0].text
