"""What users leave behind is kept only for the configured days, then purged."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from content.models import Feedback, InboxQuestion


def purge(session: Session, now: datetime, days: int) -> int:
    """Delete feedback and inbox questions older than `days`; returns how many rows went."""
    cutoff = now - timedelta(days=days)
    gone = 0
    for table in (Feedback, InboxQuestion):
        result = session.execute(delete(table).where(table.created_at < cutoff))
        gone += int(getattr(result, "rowcount", 0) or 0)
    return gone
