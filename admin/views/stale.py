"""Stale facts: the services and courses the weekly digest asks mediators to verify again."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from admin.auth import requires
from admin.roles import CONTENT
from admin.templating import page
from content.clock import today
from content.staleness import stale_rows


@requires(CONTENT)
async def stale(request: Request) -> Response:
    """The same rows as the digest in the mediators' group, each linked to its form."""
    days = request.app.state.settings.digest.stale_after_days
    with request.app.state.sessions() as session:
        rows = stale_rows(session, today(), days)
    return page(request, "stale.html", rows=rows, days=days)
