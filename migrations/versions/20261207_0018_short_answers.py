"""Short answers first, the kinds of office that serve an FAQ, the FAQ a follow-up continues

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("faq_translations") as batch:
        batch.add_column(sa.Column("short", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("faqs") as batch:
        batch.add_column(sa.Column("offices", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=32), nullable=True))
    with op.batch_alter_table("bot_users") as batch:
        batch.add_column(sa.Column("last_faq", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bot_users") as batch:
        batch.drop_column("last_faq")
    with op.batch_alter_table("services") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("faqs") as batch:
        batch.drop_column("offices")
    with op.batch_alter_table("faq_translations") as batch:
        batch.drop_column("short")
