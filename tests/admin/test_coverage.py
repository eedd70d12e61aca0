"""Events and announcements are written a tab per language with a status each, as FAQs are; the
coverage page shows every language of those to come, missing ones as missing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import Engine, select

from shared.clock import ROME
from storage.content import Event
from storage.db import make_sessionmaker
from storage.subscriptions import Announcement
from tests.support.admin import csrf_token

IN_A_WEEK = (datetime.now(UTC) + timedelta(days=7)).astimezone(ROME).strftime("%Y-%m-%dT%H:%M")
EVENT = {
    "slug": "festa_dieci_lingue",
    "starts_at": IN_A_WEEK,
    "province": "AN",
    "source_url": "https://example.org/festa",
    "lang": "it",
    "title_it": "Festa dei popoli",
    "text_it": "Musica e cibo da tutto il mondo.",
    "status_it": "published",
}
ARABIC = {
    "title_ar": "مهرجان الشعوب",
    "text_ar": "موسيقى وطعام من كل العالم.",
    "status_ar": "draft",
}


async def submit(client: httpx.AsyncClient, path: str, data: dict[str, str]) -> httpx.Response:
    token = csrf_token((await client.get(path)).text)
    return await client.post(path, data={"csrftoken": token, **data})


def shown(page: str, testid: str) -> str:
    """The status a cell of the coverage page shows."""
    cell = page.split(f'data-testid="{testid}">')[1].split("</td>")[0]
    found = re.search(r"status-(\w+)", cell)
    assert found is not None
    return found[1]


async def test_an_event_is_written_a_language_at_a_time(
    editor: httpx.AsyncClient, seeded_both: Engine
) -> None:
    assert (await submit(editor, "/events/new", EVENT)).status_code == 303
    with make_sessionmaker(seeded_both)() as session:
        event = session.scalars(select(Event).where(Event.slug == EVENT["slug"])).one()
    path = f"/events/{event.id}"
    tab = (await editor.get(f"{path}?lang=ar")).text
    for code in ("it", "en", "fr", "ar", "sq", "uk", "zh", "ur", "bn", "es"):
        assert f'href="{path}?lang={code}"' in tab
    assert 'name="title_ar"' in tab and 'dir="rtl"' in tab and 'name="title_it"' not in tab

    saved = await submit(editor, f"{path}?lang=ar", {**EVENT, "lang": "ar", **ARABIC})
    assert saved.headers["location"] == f"{path}?lang=ar"
    half = await submit(editor, path, {**EVENT, "lang": "bn", "title_bn": "জাতির উৎসব"})
    assert half.status_code == 400 and 'id="e-text_bn"' in half.text
    with make_sessionmaker(seeded_both)() as session:
        kept = session.get_one(Event, event.id)
        assert set(kept.translations) == {"it", "ar"}, "the Italian text was kept"
        assert kept.statuses == {"it": "published", "ar": "draft"}

    page = (await editor.get("/coverage")).text
    statuses = {code: shown(page, f"event-0-{code}") for code in ("it", "ar", "bn")}
    assert statuses == {"it": "published", "ar": "draft", "bn": "missing"}
    assert 'data-testid="count-it-published"' not in page, "an editor does not see FAQ figures"

    blank = {"lang": "ar", "title_ar": "", "text_ar": "", "status_ar": "draft"}
    await submit(editor, path, {**EVENT, **blank})
    assert shown((await editor.get("/coverage")).text, "event-0-ar") == "missing"


async def test_an_announcement_is_written_a_language_at_a_time(
    editor: httpx.AsyncClient, seeded_both: Engine
) -> None:
    italian = {"lang": "it", "text_it": "Fiera del lavoro", "status_it": "published"}
    created = await submit(editor, "/announcements/new", {**italian, "topics": "events"})
    path = created.headers["location"].split("?")[0]
    assert created.headers["location"] == f"{path}?lang=it"
    bengali = {"lang": "bn", "text_bn": "চাকরির মেলা", "status_bn": "reviewed", "topics": "events"}
    await submit(editor, f"{path}?lang=bn", bengali)
    with make_sessionmaker(seeded_both)() as session:
        row = session.scalars(select(Announcement)).one()
        assert row.texts == {"it": "Fiera del lavoro", "bn": "চাকরির মেলা"}
        assert row.statuses == {"it": "published", "bn": "reviewed"}
    tab = (await editor.get(f"{path}?lang=bn")).text
    assert 'name="text_bn"' in tab and 'name="text_it"' not in tab
    page = (await editor.get("/coverage")).text
    statuses = {code: shown(page, f"announcement-0-{code}") for code in ("it", "bn", "ur")}
    assert statuses == {"it": "published", "bn": "reviewed", "ur": "missing"}


async def test_a_revised_italian_text_outdates_the_other_languages(
    editor: httpx.AsyncClient, seeded_both: Engine
) -> None:
    await submit(editor, "/events/new", EVENT)
    with make_sessionmaker(seeded_both)() as session:
        event = session.scalars(select(Event).where(Event.slug == EVENT["slug"])).one()
    path = f"/events/{event.id}"
    await submit(editor, path, {**EVENT, "lang": "ar", **ARABIC})
    await submit(editor, path, {**EVENT, "text_it": "Musica, cibo e danze da tutto il mondo."})
    tab = (await editor.get(f"{path}?lang=ar")).text
    assert 'data-testid="tab-ar"' in tab and "status-outdated" in tab.split('tab-ar"')[1][:200]
    assert shown((await editor.get("/coverage")).text, "event-0-ar") == "outdated"
    await submit(editor, path, {**EVENT, "lang": "ar", **ARABIC, "text_ar": "موسيقى ورقص."})
    assert shown((await editor.get("/coverage")).text, "event-0-ar") == "draft"
