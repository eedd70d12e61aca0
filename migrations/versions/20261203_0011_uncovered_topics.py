"""Intent examples by topic: the uncovered topics of `out_of_scope`, kept apart for held-out tests

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 08:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intent_examples", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("topic", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.drop_constraint(batch_op.f("uq_intent_examples_intent"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_intent_examples_intent"), ["intent", "language", "topic"]
        )


def downgrade() -> None:
    op.execute("DELETE FROM intent_examples WHERE topic != ''")
    with op.batch_alter_table("intent_examples", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_intent_examples_intent"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_intent_examples_intent"), ["intent", "language"]
        )
        batch_op.drop_column("topic")
