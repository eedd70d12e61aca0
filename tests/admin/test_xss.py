"""Script in content never runs: every admin page escapes it, and no link takes a script URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, String, Text, select

from storage.admin import Role
from storage.content import Course, Event, Faq, FaqTranslation, Service
from storage.db import make_sessionmaker
from tests.admin.conftest import Client
from tests.admin.test_routes import ROUTES
from tests.support.admin import csrf_token

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
SCRIPT_URL = "javascript:alert(3)"


def poison(engine: Engine) -> None:
    """Every free-text column of the first service, course and a new event, and every FAQ text."""
    with make_sessionmaker(engine).begin() as session:
        session.add(
            Event(slug="xss", starts_at=datetime.now(UTC) + timedelta(days=3), source_url="")
        )
        session.flush()
        for model in (Service, Course, Event):
            row = session.scalars(select(model).order_by(model.id)).first()
            assert row is not None
            for column in model.__table__.columns:
                wide = isinstance(column.type, Text) or (
                    isinstance(column.type, String) and (column.type.length or 0) >= 100
                )
                if wide and column.name not in ("slug", "source_url", "website"):
                    setattr(row, column.name, PAYLOAD)
            row.source_url = SCRIPT_URL
            if isinstance(row, Event):
                row.translations = {"it": {"title": PAYLOAD, "description": PAYLOAD}}
        for text in session.scalars(select(FaqTranslation)):
            text.question, text.answer, text.examples = PAYLOAD, PAYLOAD, [PAYLOAD]
        for faq in session.scalars(select(Faq)):
            faq.source_url = SCRIPT_URL


async def test_payloads_in_content_are_escaped_on_every_page(
    client_for: Client, content_engine: Engine
) -> None:
    poison(content_engine)
    client = await client_for(Role.ADMIN)
    pages = [path for method, path, _ in ROUTES if method == "GET"]
    pages += ["/faqs/permit_renewal?lang=it", "/services/1", "/courses/1", "/events/1"]
    token = csrf_token((await client.get("/try")).text)
    tried = await client.post("/try", data={"csrftoken": token, "text": PAYLOAD})
    shown = {path: (await client.get(path)).text for path in pages} | {"POST /try": tried.text}
    assert any(ESCAPED in html for html in shown.values()), "the payload is on the pages"
    for path, html in shown.items():
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert f'href="{SCRIPT_URL}' not in html, path
