"""Every route refuses anonymous visitors and wrong roles on the server, admits the right ones."""

from __future__ import annotations

import pytest

from admin.roles import ADMINS, ANYONE, CONTENT, EVENTS, PROPOSE, Role
from tests.admin.conftest import Client
from tests.support.admin import csrf_token

# (method, path, roles admitted). POSTs are sent with a valid token and an empty form: a
# refused role must never reach the handler, an admitted one gets past the role check.
ROUTES = [
    ("GET", "/", ANYONE),
    ("GET", "/faqs", CONTENT),
    ("GET", "/faqs/permit_renewal?lang=ar", CONTENT),
    ("POST", "/faqs/permit_renewal/ar", CONTENT),
    ("POST", "/faqs/permit_renewal/ar/publish", CONTENT),
    ("POST", "/faqs/permit_renewal/ar/restore/1", CONTENT),
    ("GET", "/faqs/new", CONTENT),
    ("POST", "/faqs/new", CONTENT),
    ("GET", "/coverage", CONTENT),
    ("GET", "/inbox", CONTENT),
    ("POST", "/inbox/examples", CONTENT),
    ("GET", "/analytics", CONTENT),
    ("GET", "/analytics.csv", CONTENT),
    ("GET", "/services", CONTENT),
    ("GET", "/services/new", CONTENT),
    ("POST", "/services/new", CONTENT),
    ("GET", "/services/1", CONTENT),
    ("POST", "/services/1", CONTENT),
    ("POST", "/services/1/verify", CONTENT),
    ("GET", "/courses", CONTENT),
    ("GET", "/courses/new", CONTENT),
    ("POST", "/courses/new", CONTENT),
    ("GET", "/courses/1", CONTENT),
    ("POST", "/courses/1", CONTENT),
    ("POST", "/courses/1/verify", CONTENT),
    ("GET", "/stale", CONTENT),
    ("GET", "/events", EVENTS),
    ("GET", "/events/new", EVENTS),
    ("POST", "/events/new", EVENTS),
    ("GET", "/events/1", EVENTS),
    ("POST", "/events/1", EVENTS),
    ("POST", "/events/1/verify", EVENTS),
    ("GET", "/proposals", EVENTS),
    ("POST", "/proposals/1/approve", EVENTS),
    ("GET", "/proposals/new", PROPOSE),
    ("POST", "/proposals/new", PROPOSE),
    ("GET", "/announcements", EVENTS),
    ("GET", "/announcements/new", EVENTS),
    ("POST", "/announcements/new", EVENTS),
    ("GET", "/announcements/1", EVENTS),
    ("POST", "/announcements/1", EVENTS),
    ("POST", "/announcements/1/schedule", EVENTS),
    ("POST", "/announcements/1/test", EVENTS),
    ("POST", "/announcements/1/cancel", EVENTS),
    ("GET", "/profile", ANYONE),
    ("POST", "/profile", ANYONE),
    ("GET", "/try", ANYONE),
    ("POST", "/try", ANYONE),
    ("GET", "/training", CONTENT),
    ("POST", "/training", CONTENT),
    ("GET", "/users", ADMINS),
    ("POST", "/users", ADMINS),
    ("POST", "/users/1/active", ADMINS),
    ("GET", "/audit", ADMINS),
]


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
