"""Event texts carry a status per language, as announcements do: only published ones are shown;
events and announcements keep when each language's text was last written (a revised Italian text
outdates its translations)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing events were shown in every language they have: no status reads as published.
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("statuses", sa.JSON(), server_default="{}", nullable=False))
    for table in ("events", "announcements"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("text_changed_at", sa.JSON(), server_default="{}", nullable=False)
            )


def downgrade() -> None:
    for table in ("announcements", "events"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("text_changed_at")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("statuses")
