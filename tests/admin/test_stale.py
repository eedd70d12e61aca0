"""The stale-facts page shows the facts to check first and what the content covers: the figures
of `primm content report`."""

from __future__ import annotations

import re

from sqlalchemy import Engine, select

from content.inbox import count_message
from content.report import coverage
from content.staleness import stale_facts
from dialogue.digest import FIRST_FACTS
from shared.clock import today
from shared.settings import Settings
from storage.admin import Role
from storage.content import Service
from storage.db import make_sessionmaker
from tests.admin.conftest import Client
from tests.support.admin import csrf_token

ITALIAN = {"local": "locale", "regional": "regionale", "none": "nessuno"}


def cells(html: str, prefix: str) -> dict[str, str]:
    """The page's table cells whose test id starts with `prefix`, by the rest of the id."""
    found = re.findall(rf'data-testid="{prefix}-([\w-]+)">([^<]*)</td>', html)
    return dict(found)


async def test_the_stale_page_shows_the_coverage_and_the_fact_counts(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.MEDIATOR)
    page = (await client.get("/stale")).text
    with make_sessionmaker(content_engine)() as session:
        report = coverage(session)
    assert cells(page, "coverage") == {
        f"{category}-{province}": ITALIAN[cell]
        for category, by_province in report.matrix.items()
        for province, cell in by_province.items()
    }
    counts: dict[str, str] = {}
    for c in report.counts:
        counts[f"{c.kind}-rows"] = str(c.rows)
        counts |= {f"{c.kind}-{f}": "–" if n is None else str(n) for f, n in c.facts.items()}
    assert cells(page, "facts") == counts
    assert cells(page, "facts")["services-verified_on"] == "0", "nobody verified the seed"
    with make_sessionmaker(content_engine)() as session:
        service = session.scalars(select(Service)).first()
        assert service is not None
    await client.post(f"/services/{service.id}/verify", data={"csrftoken": csrf_token(page)})
    assert cells((await client.get("/stale")).text, "facts")["services-verified_on"] == "1"


async def test_the_stale_page_puts_first_the_facts_of_the_offices_asked_about_most(
    client_for: Client, content_engine: Engine, settings: Settings
) -> None:
    client = await client_for(Role.MEDIATOR)
    assert 'data-testid="first-facts"' not in (await client.get("/stale")).text, "none asked"
    with make_sessionmaker(content_engine).begin() as session:
        for _ in range(3):  # the analytics' counts alone: a topic and a day, nobody's question
            count_message(session, today(), "bn", "residence_permit", "rasa", True)
    page = await client.get("/stale")
    with make_sessionmaker(content_engine)() as session:
        days = settings.digest.stale_after_days
        expected = stale_facts(session, today(), days, FIRST_FACTS)
        questura = session.scalar(select(Service).where(Service.slug == "questura_pesaro_urbino"))
        assert questura is not None
    assert [f.office.category_key for f in expected] == ["residence_permit"] * len(expected) > []
    table = page.text.split('data-testid="first-facts"')[1].split("</table>")[0]
    assert re.findall(r'data-testid="first-([\w-]+)"', table) == [
        f"{f.office.slug}-{f.fact}" for f in expected
    ]
    phone = table.split('data-testid="first-questura_pesaro_urbino-phone">')[1].split("</tr>")[0]
    assert f'<a href="/services/{questura.id}">' in phone and questura.phone in phone
    assert "Telefono" in phone and "mai" in phone
