"""The analytics page (bars a person reads at a glance) and its CSV export."""

from __future__ import annotations

from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import Response

from admin import analytics
from admin.auth import requires
from admin.roles import CONTENT
from admin.templating import page
from shared.clock import today

PERIODS = (7, 30, 90, 365)
# One colour per bot language, in the order of the settings (a legend names them).
COLOURS = (
    "#0b4f6c",
    "#f0a202",
    "#1e7d32",
    "#b3261e",
    "#6a4c93",
    "#1982c4",
    "#8ac926",
    "#ff595e",
    "#6d6875",
    "#2a9d8f",
)


def _period(request: Request) -> tuple[date, date, int]:
    """The last `days` days up to today (Europe/Rome), from the query (30 unless valid)."""
    raw = request.query_params.get("days", "30")
    days = int(raw) if raw.isdigit() and int(raw) in PERIODS else 30
    until = today()
    return until - timedelta(days=days - 1), until, days


@requires(CONTENT)
async def analytics_page(request: Request) -> Response:
    """Questions per day by language and category, answered and fallback rates, votes, reach."""
    since, until, days = _period(request)
    with request.app.state.sessions() as session:
        figures = analytics.report(session, since, until)
    languages = list(request.app.state.settings.languages)
    return page(
        request,
        "analytics.html",
        report=figures,
        days=days,
        periods=PERIODS,
        colours=dict(zip(languages, COLOURS, strict=False)),
        bot_languages=languages,
    )


@requires(CONTENT)
async def analytics_csv(request: Request) -> Response:
    """The period's counters as CSV (no text, no user: nothing personal to export)."""
    since, until, _days = _period(request)
    with request.app.state.sessions() as session:
        text = analytics.to_csv(analytics.counts(session, since, until))
    name = f"primm-questions-{since.isoformat()}-{until.isoformat()}.csv"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
