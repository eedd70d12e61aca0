"""The client against a real Rasa server: FAQs and categories; failures become fallbacks."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.repository import published_translations
from nlu.client import NluUnavailable, RasaClient
from storage.content import Faq
from testbed.rasa import free_port


async def test_faq_question_selects_its_faq(
    rasa: RasaClient, seeded: sessionmaker[Session]
) -> None:
    with seeded() as session:
        faqs = list(session.scalars(select(Faq)))
        questions = {f.slug: published_translations(f)["en"].question for f in faqs}
    right = 0
    for slug, question in questions.items():
        parse = await rasa.parse(question)
        right += parse.intent == "faq" and parse.faq == slug
        assert parse.faq_ranking and parse.faq_ranking[0][0] == parse.faq
    assert right / len(questions) >= 0.95


async def test_category(rasa: RasaClient) -> None:
    parse = await rasa.parse("questura")
    assert parse.intent == "residence_permit"


async def test_unreachable_server_raises() -> None:
    client = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=1.0)
    with pytest.raises(NluUnavailable):
        await client.parse("ciao")
    await client.aclose()


async def test_slow_server_times_out() -> None:
    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        await asyncio.sleep(5)
        writer.close()

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = RasaClient(f"http://127.0.0.1:{port}", timeout=0.3)
    started = time.monotonic()
    with pytest.raises(NluUnavailable):
        await client.parse("ciao")
    assert time.monotonic() - started < 2
    await client.aclose()
    server.close()
