"""Every fact row keeps the date its source page gives (`source_date`), apart from `verified_on`,
which only a person who checked the fact sets

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None
TABLES = ("faqs", "services", "courses", "events")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("source_date", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("source_date")
