"""Bot users keep the topic of their last question (never its text), for "and in Fermo?"

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bot_users") as batch:
        batch.add_column(sa.Column("last_category", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("last_office", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bot_users") as batch:
        batch.drop_column("last_office")
        batch.drop_column("last_category")
