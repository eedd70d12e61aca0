"""PostgreSQL restarted while mediators work: the tool reconnects and no edit is lost."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from admin.app import create_app
from admin.auth import create_user
from shared.settings import Settings
from storage.admin import AuditEntry, Role
from storage.content import FaqTranslation
from storage.db import make_sessionmaker
from testbed.fakes import FakeNlu
from tests.admin.conftest import make_parts
from tests.support.admin import PASSWORD, SECRET, csrf_token, login
from tests.support.postgres import PostgresServer

EDITOR = "/faqs/permit_renewal"


@pytest.fixture
def mediator(restartable: Engine) -> None:
    with make_sessionmaker(restartable).begin() as session:
        create_user(session, "mediator", PASSWORD, Role.MEDIATOR)


def answers(engine: Engine) -> list[str]:
    """Every saved Ukrainian version of the FAQ, oldest first."""
    with make_sessionmaker(engine)() as session:
        rows = session.scalars(
            select(FaqTranslation)
            .where(FaqTranslation.language == "uk")
            .order_by(FaqTranslation.version)
        )
        return [row.answer for row in rows]


async def edit(client: httpx.AsyncClient, answer: str, token: str | None = None) -> httpx.Response:
    """Send the Ukrainian tab's form with a new answer (and the token of a page already loaded)."""
    token = token or csrf_token((await client.get(f"{EDITOR}?lang=uk")).text)
    form = {"csrftoken": token, "status": "draft", "question": "Як продовжити дозвіл?"}
    return await client.post(f"{EDITOR}/uk", data={**form, "answer": answer})


async def test_edits_survive_a_database_restart(
    settings: Settings,
    postgres: PostgresServer,
    restartable: Engine,
    mediator: None,
    tmp_path: Path,
) -> None:
    parts = make_parts(settings, restartable, FakeNlu(), "http://127.0.0.1:9")
    app = create_app(settings, parts, SECRET)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://admin.test"
    ) as client:
        await login(client, "mediator", PASSWORD)
        assert (await edit(client, "Перша відповідь")).status_code == 303

        # Restarted between two requests: the pooled connections are dead, the next edit works.
        postgres.stop()
        postgres.start()
        assert (await edit(client, "Друга відповідь")).status_code == 303

        # Down when the form is sent: nothing saved, the mediator is told and gets the text back.
        token = csrf_token((await client.get(f"{EDITOR}?lang=uk")).text)
        postgres.stop()
        refused = await edit(client, "Третя <відповідь> & ще", token)
        assert refused.status_code == 503
        assert "Non è stato salvato nulla" in refused.text
        assert "Третя &lt;відповідь&gt; &amp; ще" in refused.text, "the typed text comes back"
        down = await client.get("/faqs")
        assert down.status_code == 503 and "Riprova tra poco" in down.text

        # Back up: sending the returned form again saves it, once.
        postgres.start()
        resent = await edit(client, "Третя <відповідь> & ще", csrf_token(refused.text))
        assert resent.status_code == 303

    saved = answers(restartable)
    assert saved[-3:] == ["Перша відповідь", "Друга відповідь", "Третя <відповідь> & ще"]
    with make_sessionmaker(restartable)() as session:
        edits = session.scalars(select(AuditEntry).where(AuditEntry.action == "faq.edit")).all()
    assert len(edits) == 3, "each saved edit is in the audit log once"
