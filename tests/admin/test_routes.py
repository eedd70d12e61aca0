"""Every route refuses anonymous visitors and wrong roles on the server, admits the right ones."""

from __future__ import annotations

import pytest

from storage.admin import Role
from tests.admin.conftest import Client
from tests.support.admin import csrf_token
from tests.support.routes import ROUTES


def outcome(status: int, location: str) -> str:
    if status == 303 and location.startswith("/login"):
        return "to login"
    return "refused" if status == 403 else "admitted"


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonymous")
async def test_each_route_admits_exactly_its_roles(client_for: Client, role: Role | None) -> None:
    client = await client_for(role)
    token = csrf_token((await client.get("/login" if role is None else "/")).text)
    wrong = []
    for method, path, admitted in ROUTES:
        if method == "GET":
            response = await client.get(path)
        else:
            response = await client.post(path, data={"csrftoken": token})
        got = outcome(response.status_code, response.headers.get("location", ""))
        expected = "to login" if role is None else "admitted" if role in admitted else "refused"
        if got != expected:
            wrong.append(f"{method} {path}: {got} ({response.status_code}), expected {expected}")
    assert wrong == []


async def test_refused_page_says_why_in_the_interface_language(client_for: Client) -> None:
    client = await client_for(Role.ASSOCIATION)
    response = await client.get("/faqs")
    assert response.status_code == 403
    assert "Il tuo ruolo non dà accesso a questa pagina." in response.text


def test_every_route_of_the_app_is_in_the_table() -> None:
    from admin.app import ROUTES as APP_ROUTES

    examples = {
        "{slug}": "permit_renewal",
        "{lang}": "ar",
        "{version:int}": "1",
        "{id:int}": "1",
        "{decision:str}": "approve",
        "{fact:str}": "phone",
    }
    served = set()
    for route in APP_ROUTES:
        path = route.path
        for pattern, example in examples.items():
            path = path.replace(pattern, example)
        served |= {(method, path) for method in route.methods or () if method != "HEAD"}
    listed = {(method, path.split("?")[0]) for method, path, _roles in ROUTES}
    public = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("POST", "/language")}
    assert served - public == listed
