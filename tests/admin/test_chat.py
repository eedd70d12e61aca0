"""Try the bot: the dialogue core over the real Rasa server, rendered and escaped as Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from markupsafe import escape
from sqlalchemy import Engine, select

from admin.app import create_app
from content.repository import ContentRepository
from dialogue.payloads import Consent, DeleteData, Follow, ShowDesk, ShowFaq, encode
from dialogue.privacy import deleted, notice
from dialogue.reminders import permit_saved
from dialogue.subscriptions import confirmation
from nlu.client import RasaClient
from shared.settings import Settings
from storage.db import make_sessionmaker
from storage.reminders import PermitReminder
from storage.subscriptions import Subscription, Topic
from tests.admin.conftest import make_parts
from tests.support.admin import SECRET, csrf_token, logged_in

pytestmark = pytest.mark.rasa


@pytest.fixture
async def mediator(
    settings: Settings, content_engine: Engine, rasa_url: str, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    rasa = RasaClient(rasa_url, settings.nlu.timeout_seconds)
    parts = make_parts(settings, content_engine, rasa, rasa_url)
    async with logged_in(create_app(settings, parts, SECRET), "mediator") as client:
        yield client
    await rasa.aclose()


async def send(client: httpx.AsyncClient, **data: str) -> str:
    page = await client.get("/try")
    response = await client.post("/try", data={"csrftoken": csrf_token(page.text), **data})
    assert response.status_code == 200
    return response.text


def replies(page: str) -> list[str]:
    return [part.split("</div>")[0] for part in page.split('data-testid="reply">')[1:]]


async def test_arabic_question_gets_the_faq_answer(
    mediator: httpx.AsyncClient, content_engine: Engine
) -> None:
    faq = ContentRepository(make_sessionmaker(content_engine)).faq_answer("permit_renewal", ["ar"])
    assert faq is not None
    page = await send(mediator, language="ar", text=faq.question)
    first = replies(page)[0]
    assert 'dir="rtl" data-testid="reply"' in page
    assert str(escape(faq.answer.split("\n")[0]))[:40] in first.replace("\u2068", "").replace(
        "\u2069", ""
    )


async def test_buttons_post_their_payload_back(mediator: httpx.AsyncClient) -> None:
    page = await send(mediator, language="en", text="hello")
    assert 'name="payload" value="' in page
    payload = page.split('name="payload" value="')[1].split('"')[0]
    label = page.split('name="label" value="')[1].split('"')[0]
    after = await send(mediator, payload=payload, label=label)
    assert f'data-testid="said">{label}<' in after
    assert replies(after)


async def test_language_selector_and_escaping(mediator: httpx.AsyncClient) -> None:
    page = await send(mediator, language="uk", text="<b>привіт</b>")
    assert "&lt;b&gt;привіт&lt;/b&gt;" in page
    assert "<b>привіт</b>" not in page
    assert '<option value="uk" selected>' in page


async def test_subscription_and_permit_can_be_tried(
    mediator: httpx.AsyncClient, content_engine: Engine
) -> None:
    """A mediator tries /subscribe and /permit as a user would: notice first, then kept."""
    page = await send(mediator, language="it", text="/subscribe")
    assert str(escape(notice("it"))).split("\n")[0] in page
    await send(mediator, payload=encode(Consent("it")), label="Italiano")
    topics = await send(mediator, text="/subscribe")
    assert f'value="{encode(Follow(Topic.HOUSING.value, on=True))}"' in topics
    followed = await send(mediator, payload=encode(Follow(Topic.HOUSING.value, on=True)))
    assert str(escape(confirmation("it", Topic.HOUSING, True))) in followed
    await send(mediator, text="/permit")
    saved = await send(mediator, text="31/12/2030")
    assert str(escape(permit_saved("it", date(2030, 12, 31)).text)) in saved
    with make_sessionmaker(content_engine)() as session:
        chats = set(session.scalars(select(Subscription.chat_id)))
        permits = set(session.scalars(select(PermitReminder.chat_id)))
    assert len(chats) == 1 and chats == permits and next(iter(chats)) < 0  # never a Telegram chat
    await send(mediator, text="/deletedata")
    gone = await send(mediator, payload=encode(DeleteData(True)))
    assert str(escape(deleted("it", confirmed=True, found=True).text)) in gone


async def test_the_desk_card_can_be_tried(
    mediator: httpx.AsyncClient, content_engine: Engine
) -> None:
    """The 🇮🇹 button under an answer, pressed in "try the bot": Italian, then Bengali."""
    found = ContentRepository(make_sessionmaker(content_engine)).faq_desks(
        "permit_renewal", ["it", "bn"]
    )
    assert found is not None
    await send(mediator, language="bn", text="hello")
    page = await send(mediator, payload=encode(ShowFaq("permit_renewal")), label="?")
    button = encode(ShowDesk("permit_renewal"))
    assert f'name="payload" value="{button}"' in page
    card = replies(await send(mediator, payload=button, label="🇮🇹"))[-1]
    card = card.replace("\u2068", "").replace("\u2069", "")
    italian, bengali = (str(escape(found.desks[code].need)) for code in ("it", "bn"))
    assert italian in card and bengali in card and card.index(italian) < card.index(bengali)
