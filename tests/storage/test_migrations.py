"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

import storage.admin  # noqa: F401  the admin tool's tables are part of the schema
from storage.base import Base
from storage.migrate import alembic_config, include_name


def test_models_match_migrations(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": include_name, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_removes_everything(engine: Engine) -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}


def test_course_costs_become_euro_or_unknown(engine: Engine) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
        for n, cost in enumerate(["free", "Gratuito ", "25,50 €", "€ 40", "ask the school", None]):
            connection.execute(
                text(
                    "INSERT INTO courses (slug, provider, level, cost, enrolment, source_url)"
                    " VALUES (:slug, 'CPIA', 'A1', :cost, '{}', 'https://x.it')"
                ),
                {"slug": f"course_{n}", "cost": cost},
            )
        command.upgrade(config, "head")
        costs = connection.execute(text("SELECT cost_eur FROM courses ORDER BY slug")).scalars()
        assert list(costs) == [0, 0, 2550, 4000, None, None]
