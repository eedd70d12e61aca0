"""The audit log: every change made through the tool, with who, when, and the row before/after."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from storage.admin import AuditEntry


def _plain(value: Any) -> Any:
    """JSON-safe copy: dates as ISO text, everything else as JSON keeps it."""
    return json.loads(
        json.dumps(
            value, default=lambda v: v.isoformat() if isinstance(v, date | datetime) else str(v)
        )
    )


def columns(row: object) -> dict[str, Any]:
    """A row's column values, as the log keeps them."""
    mapper = inspect(row).mapper
    values: dict[str, Any] = _plain({a.key: getattr(row, a.key) for a in mapper.column_attrs})
    return values


def record(
    session: Session,
    username: str,
    action: str,
    target: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Write one entry in the change's own transaction: neither exists without the other."""
    session.add(
        AuditEntry(
            username=username,
            action=action,
            target=target,
            before=_plain(before),
            after=_plain(after),
        )
    )


def recent(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


def last(session: Session, action: str, target: str) -> AuditEntry | None:
    """The newest entry of one action on one target (who last verified a row, and when)."""
    query = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.target == target)
    return session.scalars(query.order_by(AuditEntry.id.desc()).limit(1)).first()
