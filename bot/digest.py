"""The weekly digest of stale facts, sent to the mediators' group by the bot's job queue."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import ContextTypes, JobQueue

from bot.context import send
from content.staleness import stale_facts, stale_rows
from dialogue.app import App
from dialogue.digest import FIRST_FACTS, digest_reply
from shared.clock import ROME, today
from shared.settings import Settings
from storage.coordination import claim

DIGEST = "digest"


def digest_job(app: App) -> Callable[[ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
    """Post the stale services and courses to the mediators (the admin page lists the same),
    the facts of the offices people ask about most first."""

    async def send_digest(context: ContextTypes.DEFAULT_TYPE) -> None:
        settings: Settings = context.bot_data["settings"]
        group = settings.handoff.group_chat_id
        if group is None:
            return
        days = settings.digest.stale_after_days
        with app.sessions.begin() as session:
            # Every bot process schedules it; the first of the day sends it.
            if not claim(session, DIGEST, today().isoformat()):
                return
        day = today()
        with app.sessions() as session:
            rows = stale_rows(session, day, days)
            facts = stale_facts(session, day, days, FIRST_FACTS)
        digest = digest_reply(rows, facts, day, settings.default_language, days)
        await send(context.bot, group, [digest])

    return send_digest


def schedule(jobs: JobQueue[ContextTypes.DEFAULT_TYPE], settings: Settings, app: App) -> None:
    """Once a week at the configured Rome time, when there is a group to send it to."""
    if settings.handoff.group_chat_id is None:
        return
    at = settings.digest.at.replace(tzinfo=ROME)
    # The job queue counts days from Sunday (0); the settings, like Python, from Monday.
    day = (settings.digest.weekday + 1) % 7
    jobs.run_daily(digest_job(app), time=at, days=(day,), name=DIGEST)
