"""FAQ editor: versions, publish, restore, outdated status, audit rows, preview and coverage."""

from __future__ import annotations

from pathlib import Path

import httpx
from markupsafe import escape
from sqlalchemy import Engine, select

from admin.app import create_app
from admin.inbox import add_examples
from content.loader import seed_faqs
from content.repository import ContentRepository, Desk
from shared.settings import Settings
from storage.admin import AuditEntry, Role
from storage.content import Faq
from storage.db import make_sessionmaker
from testbed.fakes import FakeNlu
from tests.admin.conftest import Client, make_parts
from tests.support.admin import SECRET, csrf_token, logged_in

SLUG = "permit_renewal"
SEEDED = len(seed_faqs())  # FAQs in the seed, each published in every language
EDITOR = f"/faqs/{SLUG}"


async def save(client: httpx.AsyncClient, language: str, **fields: str) -> httpx.Response:
    page = await client.get(f"{EDITOR}?lang={language}")
    data = {"csrftoken": csrf_token(page.text), "status": "draft", **fields}
    return await client.post(f"{EDITOR}/{language}", data=data)


async def press(client: httpx.AsyncClient, path: str) -> httpx.Response:
    page = await client.get(f"{EDITOR}?lang=ar")
    return await client.post(path, data={"csrftoken": csrf_token(page.text)})


async def test_edit_publish_restore_with_audit_on_both_backends(
    settings: Settings, seeded_both: Engine, tmp_path: Path
) -> None:
    parts = make_parts(settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    reader = ContentRepository(parts.sessions)
    original = reader.faq_answer(SLUG, ["ar"])
    assert original is not None
    async with logged_in(create_app(settings, parts, SECRET), "mediator") as client:
        response = await save(
            client,
            "ar",
            question=original.question,
            answer="جواب جديد: جدد التصريح قبل 60 يوماً",
            examples="كيف اجدد الاقامة\nتجديد تصريح الإقامة",
        )
        assert response.status_code == 303
        # A draft is not what users read.
        assert reader.faq_answer(SLUG, ["ar"]) == original
        await press(client, f"{EDITOR}/ar/publish")
        published = reader.faq_answer(SLUG, ["ar"])
        assert published is not None
        assert published.answer == "جواب جديد: جدد التصريح قبل 60 يوماً"

        await press(client, f"{EDITOR}/ar/restore/1")
        editor = await client.get(f"{EDITOR}?lang=ar")
        assert "version 3" in editor.text or "versione 3" in editor.text
        assert str(escape(original.answer)) in editor.text
        # Restored text is a draft: users keep the published version until someone publishes.
        assert reader.faq_answer(SLUG, ["ar"]) == published

    with parts.sessions() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.username, e.action, e.target) for e in entries] == [
        ("mediator", "faq.edit", f"faq/{SLUG}/ar"),
        ("mediator", "faq.publish", f"faq/{SLUG}/ar"),
        ("mediator", "faq.restore", f"faq/{SLUG}/ar"),
    ]
    edit = entries[0]
    assert edit.before is not None and edit.after is not None
    assert edit.before["answer"] == original.answer
    assert edit.after["examples"] == ["كيف اجدد الاقامة", "تجديد تصريح الإقامة"]
    assert (edit.before["version"], edit.after["version"]) == (1, 2)


async def test_translation_is_outdated_after_the_italian_changes(client_for: Client) -> None:
    client = await client_for(Role.MEDIATOR)

    async def french_status() -> str:
        page = (await client.get(f"{EDITOR}?lang=fr")).text
        return page.split("<h2>")[1].split("</h2>")[0]

    assert "pubblicata" in await french_status()
    await save(client, "it", question="Come rinnovo il permesso?", answer="Nuova risposta.")
    assert "da aggiornare" in await french_status()
    await save(client, "fr", question="Comment renouveler ?", answer="Nouvelle réponse.")
    assert "bozza" in await french_status()


async def test_version_history_shows_a_diff(client_for: Client) -> None:
    client = await client_for(Role.MEDIATOR)
    await save(client, "en", question="How do I renew my permit?", answer="Go to the Questura.")
    page = (await client.get(f"{EDITOR}?lang=en")).text
    assert '<span class="ins">+ Go to the Questura.</span>' in page
    assert '<span class="del">- ' in page


async def test_preview_is_escaped_like_telegram_html(client_for: Client) -> None:
    client = await client_for(Role.MEDIATOR)
    await save(
        client, "en", question="Question <b>bold</b>?", answer="Answer & <script>x</script>"
    )
    page = (await client.get(f"{EDITOR}?lang=en")).text
    preview = page.split('data-testid="preview">')[1].split("</div>")[0]
    assert "Question &lt;b&gt;bold&lt;/b&gt;?" in preview
    assert "&lt;script&gt;" in preview and "<script>" not in page


async def test_too_short_text_is_not_saved(client_for: Client, content_engine: Engine) -> None:
    client = await client_for(Role.MEDIATOR)
    await save(client, "en", question="Q", answer="")
    with make_sessionmaker(content_engine)() as session:
        faq = session.scalar(select(Faq).where(Faq.slug == SLUG))
        assert faq is not None
        assert len([t for t in faq.translations if t.language == "en"]) == 1


async def test_coverage_counts_each_status_per_language(client_for: Client) -> None:
    client = await client_for(Role.MEDIATOR)
    page = (await client.get("/coverage")).text
    assert f'data-testid="count-ar-published">{SEEDED}<' in page
    await save(client, "ar", question="سؤال جديد؟", answer="جواب جديد.")
    page = (await client.get("/coverage")).text
    assert f'data-testid="count-ar-published">{SEEDED - 1}<' in page
    assert 'data-testid="count-ar-draft">1<' in page


async def test_seed_texts_are_not_reviewed_until_a_person_marks_them(
    settings: Settings, seeded_both: Engine, tmp_path: Path
) -> None:
    parts = make_parts(settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    reader = ContentRepository(parts.sessions)
    before = reader.faq_answer(SLUG, ["bn"])
    async with logged_in(create_app(settings, parts, SECRET), "mediator") as client:
        coverage = (await client.get("/coverage")).text
        assert f'data-testid="review-bn-no">{SEEDED}<' in coverage
        assert 'data-testid="review-bn-yes">0<' in coverage
        assert "Non ancora rivisto da una persona." in (await client.get(f"{EDITOR}?lang=bn")).text
        await press(client, f"{EDITOR}/bn/review")
        editor = (await client.get(f"{EDITOR}?lang=bn")).text
        assert "Rivisto da mediator" in editor and "/bn/review" not in editor
        coverage = (await client.get("/coverage")).text
        assert 'data-testid="review-bn-yes">1<' in coverage
        assert f'data-testid="count-bn-published">{SEEDED}<' in coverage  # still published
        reviewed = (await client.get("/faqs?lang=bn&review=yes")).text
        assert reviewed.count('data-testid="faq-row"') == 1
        # A new text saved as a draft is nobody's review; saved as reviewed, it is the saver's.
        await save(client, "bn", question="নতুন প্রশ্ন?", answer="নতুন উত্তর।")
        assert "Non ancora rivisto" in (await client.get(f"{EDITOR}?lang=bn")).text
        await save(client, "bn", question="নতুন প্রশ্ন?", answer="নতুন উত্তর।", status="reviewed")
        assert "Rivisto da mediator" in (await client.get(f"{EDITOR}?lang=bn")).text
    assert reader.faq_answer(SLUG, ["bn"]) == before, "the bot still answers the published text"
    with parts.sessions() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == SLUG)).one()
        bengali = [t for t in faq.translations if t.language == "bn"]
        assert [(t.version, t.reviewed_by) for t in bengali] == [
            (1, "mediator"),
            (2, None),
            (3, "mediator"),
        ]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "faq.review")).one()
        assert audit.before and audit.after and audit.before["reviewed_by"] is None
        assert audit.after["reviewed_by"] == "mediator" and audit.target == f"faq/{SLUG}/bn"


async def test_the_short_text_is_edited_beside_the_answer_and_read_first(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.MEDIATOR)
    short = "Vai in Questura 60 giorni prima.\nPorta passaporto e ricevuta."
    await save(client, "it", question="Come rinnovo?", short=short, answer="Tutti i dettagli.")
    await press(client, f"{EDITOR}/it/publish")
    answer = ContentRepository(make_sessionmaker(content_engine)).faq_answer(SLUG, ["it"])
    assert answer is not None and (answer.short, answer.answer) == (short, "Tutti i dettagli.")
    page = (await client.get(f"{EDITOR}?lang=it")).text
    bubbles = page.split('data-testid="preview">')[1:]
    assert "Porta passaporto" in bubbles[0] and "Tutti i dettagli." not in bubbles[0]
    assert "Tutti i dettagli." in bubbles[1]


async def test_a_short_text_over_the_limit_is_refused_with_its_word_count(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.MEDIATOR)
    response = await save(
        client, "en", question="How?", short="Go to the Questura now. " * 13, answer="Details."
    )
    page = (await client.get(response.headers["location"])).text
    assert "La risposta breve ha 65 parole" in page
    with make_sessionmaker(content_engine)() as session:
        faq = session.scalar(select(Faq).where(Faq.slug == SLUG))
        assert faq is not None
        assert len([t for t in faq.translations if t.language == "en"]) == 1


async def test_the_desk_card_is_edited_with_the_text_and_kept_by_later_versions(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.MEDIATOR)
    need = "Devo rinnovare il permesso di soggiorno e ho già la ricevuta delle Poste."
    await save(
        client,
        "it",
        question="Come rinnovo?",
        answer="Tutti i dettagli.",
        desk_need=f"  {need} ",
        desk_documents="passaporto\n\n ricevuta delle Poste \n",
    )
    await press(client, f"{EDITOR}/it/publish")
    sessions = make_sessionmaker(content_engine)
    found = ContentRepository(sessions).faq_desks(SLUG, ["it"])
    assert found is not None
    assert found.desks["it"] == Desk(need, ("passaporto", "ricevuta delle Poste"))
    # The form shows it again, and translators see it beside their language.
    assert f'name="desk_need" value="{escape(need)}"' in (await client.get(EDITOR)).text
    urdu = (await client.get(f"{EDITOR}?lang=ur")).text
    assert escape(need) in urdu.split('data-testid="source-desk">')[1]
    # The preview ends with the card as the bot sends it: the Italian half, then the Urdu one.
    card = urdu.split('data-testid="preview">')[-1].replace("\u2068", "").replace("\u2069", "")
    ur_need = translation_need(content_engine, "ur")
    assert card.index(escape(need)) < card.index(escape(ur_need))
    # Examples added from the inbox make a version that keeps the card.
    with sessions.begin() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == SLUG)).one()
        added = add_examples(session, faq, "it", ["rinnovo con ricevuta poste"])
        assert added is not None and Desk.read(added.desk) == found.desks["it"]


def translation_need(engine: Engine, language: str) -> str:
    """The published desk sentence of the FAQ in one language."""
    found = ContentRepository(make_sessionmaker(engine)).faq_desks(SLUG, [language])
    assert found is not None
    return found.desks[language].need


async def test_a_desk_card_with_documents_but_no_need_is_refused(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.MEDIATOR)
    response = await save(
        client, "fr", question="Comment ?", answer="Détails.", desk_documents="passeport"
    )
    page = (await client.get(response.headers["location"])).text
    assert "Una scheda per lo sportello è ciò di cui la persona ha bisogno" in page
    with make_sessionmaker(content_engine)() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == SLUG)).one()
        assert len([t for t in faq.translations if t.language == "fr"]) == 1
