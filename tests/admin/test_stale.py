"""The stale-facts page shows what the content covers: the figures of `primm content report`."""

from __future__ import annotations

import re

from sqlalchemy import Engine, select

from content.report import coverage
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
