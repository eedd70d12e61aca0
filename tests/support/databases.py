"""Fresh, migrated databases on SQLite and PostgreSQL for tests."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, text

from storage.db import make_engine
from storage.migrate import upgrade

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def fresh_engine(backend: str, tmp_path: Path) -> Engine:
    """An empty database at the newest schema: a new SQLite file or a reset PostgreSQL schema."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'primm.db'}")
    else:
        engine = make_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    return engine
