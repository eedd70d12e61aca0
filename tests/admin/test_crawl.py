"""No page breaks on real data: over a database filled by varied traffic, each role follows every
link of the tool breadth-first; nothing answers 5xx and every page the role may see renders."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
import pytest
from sqlalchemy import Engine

from admin.app import ROUTES as APP_ROUTES
from admin.app import create_app
from shared.settings import Settings
from storage.admin import Role
from testbed.fakes import FakeNlu
from tests.admin.conftest import make_parts
from tests.support.admin import PASSWORD, SECRET, login
from tests.support.routes import ROUTES
from tests.support.traffic import fill

BASE = "http://admin.test"


class Links(HTMLParser):
    """The links of a page: anchors, audio sources, and GET forms with their hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._form: tuple[str, list[tuple[str, str]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and "href" in values:
            self.found.append(values["href"])
        elif tag == "audio" and "src" in values:  # a voice to listen to: followed on play
            self.found.append(values["src"])
        elif tag == "form" and values.get("method", "get").lower() == "get":
            self._form = (values.get("action", ""), [])
        elif tag == "input" and self._form is not None and values.get("name"):
            self._form[1].append((values["name"], values.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            action, fields = self._form
            self.found.append(f"{action}?{urlencode(fields)}" if fields else action)
            self._form = None


def links(page: str, html: str) -> list[str]:
    """The tool's own pages a page links to, as paths with their query."""
    parser = Links()
    parser.feed(html)
    inside = []
    for href in parser.found:
        url = urlsplit(urljoin(BASE + page, href))
        if url.scheme in ("http", "https") and url.netloc == "admin.test":
            inside.append(url.path + (f"?{url.query}" if url.query else ""))
    return inside


def pattern(path: str) -> str:
    """The route a path is served by (its template, e.g. /faqs/{slug})."""
    for route in APP_ROUTES:
        if "GET" in (route.methods or ()) and route.path_regex.match(path.split("?")[0]):
            return route.path
    return path


async def crawl(client: httpx.AsyncClient) -> tuple[dict[str, int], list[str]]:
    """Every page reachable from the home page: status of each, and the pages that broke."""
    seen: dict[str, int] = {}
    broken: list[str] = []
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        response = await client.get(path)
        seen[path] = response.status_code
        if response.status_code >= 500 or response.status_code in (403, 404):
            broken.append(f"{path}: {response.status_code}")
            continue
        if response.is_redirect:
            queue.append(response.headers["location"])
        elif response.headers.get("content-type", "").startswith("text/html"):
            if not response.text.rstrip().endswith("</html>"):
                broken.append(f"{path}: page cut short")
            queue.extend(link for link in links(path, response.text) if link not in seen)
    return seen, broken


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
async def test_every_page_renders_for_each_role_over_real_traffic(
    settings: Settings, seeded_both: Engine, tmp_path: Path, role: Role
) -> None:
    parts = make_parts(settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    await fill(settings, parts.sessions)
    app = create_app(settings, parts, SECRET)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        await login(client, role.value, PASSWORD)
        seen, broken = await crawl(client)
    assert broken == []
    pages = {pattern(path) for path in seen if path != "/login"}
    may_see = {
        pattern(path) for method, path, roles in ROUTES if method == "GET" and role in roles
    }
    assert may_see - pages == set(), "pages this role may see but no link leads to"
