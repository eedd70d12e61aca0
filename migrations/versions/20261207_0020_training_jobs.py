"""Training runs know their process (a run whose process died is marked interrupted); user
names in their one form (admin.auth.username_key)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 15:30:00.000000
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
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
    _normalise_usernames()


def _key(name: str) -> str:
    """NFKC, case-folded, without invisible characters (as admin.auth.username_key then)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return "".join(c for c in folded if unicodedata.category(c) != "Cf").strip()


def _normalise_usernames() -> None:
    """Accounts log in by the name's one form from now on; a name whose form another account
    already has keeps its spelling (an admin renames one of the two)."""
    connection = op.get_bind()
    users = sa.table("admin_users", sa.column("id", sa.Integer), sa.column("username", sa.String))
    rows = connection.execute(sa.select(users.c.id, users.c.username)).all()
    taken = {username for _, username in rows}
    for user_id, username in rows:
        key = _key(username)
        if key and key != username and key not in taken:
            connection.execute(users.update().where(users.c.id == user_id).values(username=key))
            taken.add(key)


def downgrade() -> None:
    op.drop_index("one_running_training", table_name="training_runs")
    with op.batch_alter_table("training_runs") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("holder")
