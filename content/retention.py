"""What users leave behind is kept only for the configured days, then purged."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.coordination import JobRun
from storage.handoff import HandoffTicket
from storage.inbox import InboxQuestion
from storage.users import Feedback


def purge(session: Session, now: datetime, days: int) -> int:
    """Delete feedback, inbox questions and conversations idle over `days`; count what went."""
    cutoff = now - timedelta(days=days)
    gone = 0
    for statement in (
        delete(Feedback).where(Feedback.created_at < cutoff),
        delete(InboxQuestion).where(InboxQuestion.created_at < cutoff),
        delete(HandoffTicket).where(HandoffTicket.updated_at < cutoff),
    ):
        result = session.execute(statement)
        gone += int(getattr(result, "rowcount", 0) or 0)
    # The periodic jobs' claims are no one's data; kept as long, for a look at what ran.
    session.execute(delete(JobRun).where(JobRun.ran_at < cutoff))
    return gone
