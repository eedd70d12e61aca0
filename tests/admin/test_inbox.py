"""The inbox groups unsure questions; a group becomes FAQ examples or a new FAQ draft, audited."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from admin.app import Parts, create_app
from content.repository import latest_translations
from dialogue.app import build_dialogue
from dialogue.chats import Chats
from nlu.training_data import examples
from shared.settings import Settings
from storage.admin import AuditEntry, RunStatus, TrainingRun
from storage.content import Faq, TranslationStatus
from storage.inbox import InboxQuestion
from storage.users import UserState
from testbed.fakes import FakeNlu
from tests.admin.conftest import make_parts
from tests.support.admin import SECRET, csrf_token, logged_in
from tests.support.conversation import NEW_CHAT

# What a fake Rasa that knows none of it is unsure of: two things in Italian, one in Arabic.
RENEWAL = [
    "quando scade il permesso cosa faccio",
    "il permesso mi scade cosa faccio",
    "permesso scade cosa fare",
]
FISHING = ["licenza di pesca ancona", "serve la licenza di pesca?"]
ARABIC = ["هل احتاج رخصة لصيد السمك", "رخصة صيد السمك"]


async def asked(settings: Settings, parts: Parts) -> None:
    """Users ask through the bot's dialogue core (the tool's own records nothing)."""
    users = Chats(build_dialogue(settings, parts.sessions, FakeNlu()), parts.sessions)
    for text in [*RENEWAL, *FISHING]:
        await users.text(NEW_CHAT, UserState("it"), text)
    for text in ARABIC:
        await users.text(NEW_CHAT, UserState("ar"), text)


def rows(html: str) -> list[str]:
    """Each group's row as text, tags dropped."""
    found = re.findall(r'<tr data-testid="group">(.*?)</tr>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in found]


def ids_of(parts: Parts, texts: list[str]) -> list[str]:
    with parts.sessions() as session:
        query = select(InboxQuestion.id).where(InboxQuestion.text.in_(texts))
        return [str(i) for i in session.scalars(query)]


async def test_group_becomes_examples_of_an_faq_and_is_answered_after_retraining(
    settings: Settings, seeded_both: Engine, tmp_path: Path
) -> None:
    parts = make_parts(settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    await asked(settings, parts)
    async with logged_in(create_app(settings, parts, SECRET), "mediator") as client:
        page = (await client.get("/inbox")).text
        groups = rows(page)
        assert len(groups) == 3, groups
        assert all(text in groups[0] for text in RENEWAL)
        assert sum(all(t in g for t in ARABIC) for g in groups) == 1
        assert "aperto" in groups[0]

        data = {"csrftoken": csrf_token(page), "faq": "permit_renewal"}
        response = await client.post(
            "/inbox/examples", data={**data, "id": ids_of(parts, RENEWAL)}
        )
        assert response.status_code == 303
        page = (await client.get("/inbox")).text
        assert "3 domande di esempio aggiunte a permit_renewal." in page
        renewal_row = next(g for g in rows(page) if RENEWAL[0] in g)
        assert "aggiunte a permit_renewal, in attesa del riaddestramento" in renewal_row

        with parts.sessions.begin() as session:
            session.add(
                TrainingRun(
                    started_by="mediator",
                    started_at=datetime.now(UTC),
                    finished_at=datetime.now(UTC),
                    status=RunStatus.SUCCEEDED,
                )
            )
        renewal_row = next(g for g in rows((await client.get("/inbox")).text) if RENEWAL[0] in g)
        assert "risolto da permit_renewal" in renewal_row

    with parts.sessions() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == "permit_renewal")).one()
        italian = latest_translations(faq)["it"]
        assert italian.status is TranslationStatus.PUBLISHED and italian.version == 2
        assert italian.examples[-3:] == RENEWAL
        trained = {e.text for e in examples(session) if e.label == "faq/permit_renewal"}
        assert set(RENEWAL) <= trained
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["inbox.examples", "inbox.convert"]
        # The log names the converted questions by id: it outlives the inbox's retention.
        converted = sorted(entries[1].before["questions"])
        assert converted == sorted(int(i) for i in ids_of(parts, RENEWAL))


async def test_group_becomes_a_new_faq_draft_validated_like_the_seed(
    settings: Settings, seeded_both: Engine, tmp_path: Path
) -> None:
    parts = make_parts(settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    await asked(settings, parts)
    ids = ids_of(parts, ARABIC)
    async with logged_in(create_app(settings, parts, SECRET), "mediator") as client:
        form = await client.get("/faqs/new", params=[("id", i) for i in ids])
        assert form.status_code == 200
        assert 'value="ar" selected' in form.text
        assert all(text in form.text for text in ARABIC)
        fields = {
            "csrftoken": csrf_token(form.text),
            "slug": "Fishing Licence",
            "category": "work",
            "source_url": "https://www.regione.marche.it/",
            "language": "ar",
            "question": ARABIC[0],
            "answer": "",
            "examples": ARABIC[1],
        }
        refused = await client.post("/faqs/new", data={**fields, "id": ids})
        assert refused.status_code == 400
        assert "Da 2 a 64 lettere minuscole" in refused.text
        assert "Almeno 3 caratteri." in refused.text
        fields |= {"slug": "fishing_licence", "answer": "Chiedi alla Regione Marche."}
        created = await client.post("/faqs/new", data={**fields, "id": ids})
        assert created.status_code == 303
        assert created.headers["location"] == "/faqs/fishing_licence?lang=ar"
        taken = await client.post("/faqs/new", data=fields)
        assert taken.status_code == 400

    with parts.sessions() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == "fishing_licence")).one()
        arabic = latest_translations(faq)["ar"]
        assert arabic.status is TranslationStatus.DRAFT
        assert (arabic.question, arabic.examples) == (ARABIC[0], [ARABIC[1]])
        marked = session.scalars(
            select(InboxQuestion.faq_slug).where(InboxQuestion.language == "ar")
        )
        assert set(marked) == {"fishing_licence"}
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions == ["faq.create", "inbox.convert"]


PERSONAL = [
    "sono Mario Rossi, chiamatemi al 333 123 4567 per il permesso",
    "permesso scade che fare",
]


async def test_a_question_with_a_phone_number_or_e_mail_does_not_become_an_example(
    settings: Settings, seeded_both: Engine
) -> None:
    parts = make_parts(settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    users = Chats(build_dialogue(settings, parts.sessions, FakeNlu()), parts.sessions)
    for text in PERSONAL:
        await users.text(NEW_CHAT, UserState("it"), text)
    with parts.sessions() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == "permit_renewal")).one()
        before = latest_translations(faq)["it"]
    async with logged_in(create_app(settings, parts, SECRET), "mediator") as client:
        page = (await client.get("/inbox")).text
        data = {"csrftoken": csrf_token(page), "faq": "permit_renewal"}
        refused = await client.post(
            "/inbox/examples", data={**data, "id": ids_of(parts, PERSONAL)}
        )
        assert refused.status_code == 303
        shown = (await client.get("/inbox")).text
        assert f"«{PERSONAL[0]}» contiene un numero di telefono (333 123 4567)." in shown
        assert "Non è stato aggiunto nulla" in shown
        assert all(text in " ".join(rows(shown)) for text in PERSONAL), "nothing is lost"

        client.cookies.set("admin_lang", "en")
        form = await client.get("/faqs/new", params=[("id", i) for i in ids_of(parts, PERSONAL)])
        fields = {
            "csrftoken": csrf_token(form.text),
            "slug": "permit_call",
            "category": "documents",
            "source_url": "https://www.poliziadistato.it/",
            "language": "it",
            "question": PERSONAL[1],
            "answer": "Chiedi in questura.",
            "examples": "scrivetemi a mario.rossi@example.org",
        }
        created = await client.post("/faqs/new", data=fields)
        assert created.status_code == 400
        assert "contains an e-mail address (mario.rossi@example.org)" in created.text

    with parts.sessions() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == "permit_renewal")).one()
        assert latest_translations(faq)["it"].version == before.version
        assert session.scalars(select(Faq).where(Faq.slug == "permit_call")).first() is None
        assert set(session.scalars(select(InboxQuestion.faq_slug))) == {None}
        assert session.scalars(select(AuditEntry)).all() == []
