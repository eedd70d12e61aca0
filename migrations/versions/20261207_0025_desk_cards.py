"""The card a person shows at an office's desk: what they need and bring, per FAQ translation

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 22:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("faq_translations") as batch:
        batch.add_column(sa.Column("desk", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("faq_translations") as batch:
        batch.drop_column("desk")
