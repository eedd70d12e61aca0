"""Translation provenance: who reviewed each FAQ translation version, and when

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing versions stay null: nobody is known to have reviewed them.
    with op.batch_alter_table("faq_translations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reviewed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("faq_translations", schema=None) as batch_op:
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by")
