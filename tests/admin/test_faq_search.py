"""Mediators find FAQs by their question in any language, and by category, status and language."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session, sessionmaker

from admin.faq_search import Query, find
from shared.vocabulary import LANGUAGES
from storage.admin import Role
from tests.admin.conftest import Client
from tests.support.admin import csrf_token

RENEWAL_IT = "Come rinnovo il permesso di soggiorno e cosa faccio con la ricevuta?"
RENEWAL_EN = "How do I renew my residence permit and what do I do with the receipt?"


def slugs(seeded: sessionmaker[Session], **asked: str) -> list[str]:
    with seeded() as session:
        rows = find(session, Query.read(asked, LANGUAGES), LANGUAGES, "it")
    return [row.faq.slug for row in rows]


@pytest.mark.parametrize(
    "text",
    [
        "كيف اجدد الاقامة",  # an Arabic example question
        "RINOVO permesso scade",  # Italian example, other case, as typed
        "renew my residence permit",  # English question
        "permit_renewal",  # the slug itself
    ],
)
def test_search_finds_questions_and_examples_in_any_language(
    seeded: sessionmaker[Session], text: str
) -> None:
    assert "permit_renewal" in slugs(seeded, q=text)


def test_search_ignores_accents_and_needs_every_word(seeded: sessionmaker[Session]) -> None:
    assert slugs(seeded, q="ricevuta rinnovo") == slugs(seeded, q="ricevutà RINNOVO")
    assert slugs(seeded, q="rinnovo zzzqqq") == []


def test_category_filter_and_unknown_choices(seeded: sessionmaker[Session]) -> None:
    health = slugs(seeded, category="health")
    assert health and set(health) < set(slugs(seeded))
    assert slugs(seeded, category="nonsense", status="nonsense", lang="xx") == slugs(seeded)


def test_title_is_the_question_in_the_interface_language(seeded: sessionmaker[Session]) -> None:
    with seeded() as session:
        query = Query(text="permit_renewal")
        italian = find(session, query, LANGUAGES, "it")
        english = find(session, query, LANGUAGES, "en")
    assert RENEWAL_IT in [row.title for row in italian]
    assert RENEWAL_EN in [row.title for row in english]


def faq_rows(html: str) -> list[str]:
    found = re.findall(r'<tr data-testid="faq-row">(.*?)</tr>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in found]


async def test_bengali_drafts_and_urdu_outdated(client_for: Client) -> None:
    client = await client_for(Role.MEDIATOR)
    assert faq_rows((await client.get("/faqs?lang=bn&status=draft")).text) == []
    editor = (await client.get("/faqs/permit_renewal?lang=bn")).text
    data = {"question": "নতুন প্রশ্ন?", "answer": "নতুন উত্তর।", "status": "draft"}
    await client.post("/faqs/permit_renewal/bn", data={"csrftoken": csrf_token(editor), **data})
    drafts = faq_rows((await client.get("/faqs?lang=bn&status=draft")).text)
    assert drafts == [f"{RENEWAL_IT} permit_renewal Permesso di soggiorno bozza ?"]
    source = {"question": RENEWAL_IT, "answer": "Nuovo testo.", "status": "draft"}
    editor = (await client.get("/faqs/permit_renewal?lang=it")).text
    await client.post("/faqs/permit_renewal/it", data={"csrftoken": csrf_token(editor), **source})
    outdated = faq_rows((await client.get("/faqs?lang=ur&status=outdated")).text)
    assert [row.split(" permit_renewal ")[1] for row in outdated] == [
        "Permesso di soggiorno da aggiornare ?"
    ]


async def test_list_shows_the_question_with_the_slug_small(client_for: Client) -> None:
    client = await client_for(Role.MEDIATOR)
    page = (await client.get("/faqs")).text
    assert f'dir="auto">{RENEWAL_IT}</a> <small class="slug">permit_renewal</small>' in page
    client.cookies.set("admin_lang", "en")
    coverage = (await client.get("/coverage?q=permit_renewal")).text
    assert f'dir="auto">{RENEWAL_EN}</a> <small class="slug">permit_renewal</small>' in coverage
