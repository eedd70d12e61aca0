"""Stale facts: the services and courses the weekly digest asks mediators to verify again, and
what the content covers (the same figures as `primm content report`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from admin.auth import requires
from admin.i18n import N_
from admin.records import KINDS
from admin.roles import CONTENT
from admin.templating import page
from content.demand import ASKED_DAYS
from content.report import LOCAL, NONE, REGIONAL, coverage
from content.staleness import stale_facts, stale_rows
from dialogue.digest import FIRST_FACTS
from shared.clock import today
from shared.vocabulary import PROVINCES

FACT_LABELS = {
    "address": N_("Address"),
    "phone": N_("Phone"),
    "opening_hours": N_("Opening hours"),
    "website": N_("Website"),
    "source_date": N_("Source date"),
    "verified_on": N_("Verified by a person"),
}
CELL_LABELS = {LOCAL: N_("local"), REGIONAL: N_("regional"), NONE: N_("none")}
# Coloured as translation statuses are: a gap in red, a regional service only in yellow.
CELL_STYLES = {LOCAL: "status-published", REGIONAL: "status-draft", NONE: "status-outdated"}


@requires(CONTENT)
async def stale(request: Request) -> Response:
    """The same facts and rows as the digest in the mediators' group, each linked to its form."""
    days = request.app.state.settings.digest.stale_after_days
    with request.app.state.sessions() as session:
        rows = stale_rows(session, today(), days)
        facts = stale_facts(session, today(), days, FIRST_FACTS)
        report = coverage(session)
    return page(
        request,
        "stale.html",
        rows=rows,
        facts=facts,
        asked_days=ASKED_DAYS,
        days=days,
        report=report,
        kinds=KINDS,
        fact_labels=FACT_LABELS,
        cell_labels=CELL_LABELS,
        cell_styles=CELL_STYLES,
        provinces=PROVINCES,
    )
