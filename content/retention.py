"""What users leave behind is kept only for the configured days, then purged."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from content.models import Feedback


def purge(session: Session, now: datetime, days: int) -> int:
    """Delete feedback older than `days`; returns how many rows went."""
    cutoff = now - timedelta(days=days)
    result = session.execute(delete(Feedback).where(Feedback.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
