"""Database engine and sessions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from shared import metrics
from shared.settings import ROOT


def normalise_url(url: str) -> str:
    """Anchor relative SQLite paths at the project root and pick the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database or "")
        if not path.is_absolute():
            path = ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        parsed = parsed.set(database=str(path))
    elif parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys, let readers work while the loader writes, commit without fsync."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last commits. FULL
    # syncs the disk on every commit, inside the event loop (README, `make bench-bot`).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _counted(*_args: Any) -> None:
    metrics.STATEMENTS.inc()


def make_engine(url: str) -> Engine:
    """An engine for the configured database, with reconnect-on-stale for PostgreSQL."""
    url = normalise_url(url)
    # A server may drop idle connections; a file cannot, and a ping per session cost a statement
    # per query on SQLite.
    served = make_url(url).get_backend_name() != "sqlite"
    # A failed statement's message never carries its values: a user's words stay out of logs.
    engine = create_engine(url, pool_pre_ping=served, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "before_cursor_execute", _counted)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
