"""Training runs know their process, so a run whose process died is marked interrupted

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-07 15:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    # A run still marked running now belongs to no process that knows it: say so first,
    # or the index below could not be built over two of them.
    op.execute(
        "UPDATE training_runs SET status = 'interrupted', "
        "log = 'The admin tool stopped during this training.' WHERE status = 'running'"
    )
    with op.batch_alter_table("training_runs") as batch:
        batch.add_column(
            sa.Column("holder", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "one_running_training",
        "training_runs",
        ["status"],
        unique=True,
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )


def downgrade() -> None:
    op.drop_index("one_running_training", table_name="training_runs")
    with op.batch_alter_table("training_runs") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("holder")
