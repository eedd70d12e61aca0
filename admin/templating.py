"""Server-rendered pages: Jinja2 with autoescape, the admin catalog, CSRF token and flash notes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_datetime, format_timedelta
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from admin import i18n, labels
from content.staleness import age_days
from shared.clock import ROME, today
from shared.i18n import NATIVE_NAMES
from storage.admin import Role

TEMPLATES = Path(__file__).parent / "templates"
ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def web_url(value: str | None) -> str:
    """The URL if it is a web address, else nothing: a stored `javascript:` link must not run."""
    return value if value and urlsplit(value).scheme in ("http", "https") else ""


ENV.filters["web_url"] = web_url


def language(request: Request) -> str:
    """The interface language of this request."""
    return i18n.pick(request.cookies.get("admin_lang"), request.headers.get("accept-language", ""))


def gettext(request: Request) -> i18n.Gettext:
    """Translate admin strings into this request's interface language."""
    return i18n.translations(language(request)).gettext


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A note shown once on the next page (kept in the signed session cookie)."""
    request.session.setdefault("flash", []).append([kind, message])


def local_time(request: Request, value: datetime | None) -> str:
    """A stored UTC time as people in the Marche read it, in the interface language."""
    if value is None:
        return ""
    return format_datetime(value.astimezone(ROME), "short", locale=language(request))


def verified_ago(request: Request, verified_on: date | None) -> str:
    """How long ago a person verified a row ("never" for seed content nobody checked)."""
    _ = gettext(request)
    age = age_days(verified_on, today())
    if age is None:
        return _("never")
    if age == 0:
        return _("today")
    return format_timedelta(timedelta(days=-age), add_direction=True, locale=language(request))


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with everything every template uses."""
    user = getattr(request.state, "user", None)
    notes = request.session.pop("flash", []) if "session" in request.scope else []
    csrf = request.scope.get("csrftoken")
    shown = language(request)
    html = ENV.get_template(template).render(
        request=request,
        user=user,
        roles=Role,
        _=gettext(request),
        lang=shown,
        languages=i18n.LANGUAGES,
        native_names=NATIVE_NAMES,
        csrftoken=csrf() if csrf else "",
        notes=notes,
        local_time=lambda value: local_time(request, value),
        verified_ago=lambda value: verified_ago(request, value),
        route_label=lambda key: labels.route_label(key, shown),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)
