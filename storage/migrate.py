"""Run Alembic migrations from code, so `primm db upgrade`, tests and `make run` share one path."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from shared.settings import ROOT
from storage.content import is_search_index


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave alone the full-text objects made by hand in migrations."""
    return not (name and is_search_index(name))


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to the given engine's database."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


class NotMigrated(RuntimeError):
    """The database schema is older than the code: migrations must run first."""


def check_current(engine: Engine) -> None:
    """Fail with a clear message unless the database is at the newest revision."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        raise NotMigrated(
            f"database at revision {current or 'none'}, code expects {head}: "
            "run `primm content load` (or `make run`) first"
        )


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision."""
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
