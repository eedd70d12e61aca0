"""The retrain button, the progress of the current run and the outcome of past ones."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import audit
from admin.auth import requires
from admin.roles import CONTENT
from admin.templating import flash, gettext, page
from admin.training import AlreadyRunning, recent_runs
from storage.admin import RunStatus

POLL_SECONDS = 3


@requires(CONTENT)
async def training(request: Request) -> Response:
    """Runs with their status; the page reloads itself while one is running."""
    request.app.state.trainer.recover()
    with request.app.state.sessions() as session:
        runs = recent_runs(session)
    running = runs[0] if runs and runs[0].status is RunStatus.RUNNING else None
    elapsed = (datetime.now(UTC) - running.started_at).seconds if running else 0
    return page(
        request,
        "training.html",
        runs=runs,
        running=running,
        elapsed=elapsed,
        poll=POLL_SECONDS,
    )


@requires(CONTENT)
async def retrain(request: Request) -> Response:
    """Start a training unless one is running."""
    _ = gettext(request)
    username = request.state.user.username
    try:
        run_id = request.app.state.trainer.start(username)
    except AlreadyRunning:
        flash(request, _("A training is already running."), "error")
    else:
        with request.app.state.sessions.begin() as session:
            audit.record(session, username, "retrain", f"training/{run_id}", None, None)
        flash(
            request, _("Training started. The bot keeps the old model until the new one is ready.")
        )
    return RedirectResponse("/training", status_code=303)
