"""Alembic environment: the URL comes from the app settings unless the caller passes one."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from shared.settings import get_settings
from storage.base import Base  # importing storage registers every table
from storage.db import make_engine
from storage.migrate import include_name

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
    with engine.connect() as conn:
        run(conn)
    engine.dispose()
