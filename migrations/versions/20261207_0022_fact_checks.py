"""A person's check of each fact of an office: right, or wrong with the right value and its page

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fact_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("fact", sa.String(length=32), nullable=False),
        sa.Column("right", sa.Boolean(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.Column("checked_by", sa.String(length=64), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_fact_checks_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_checks")),
    )
    op.create_index(op.f("ix_fact_checks_service_id"), "fact_checks", ["service_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_fact_checks_service_id"), table_name="fact_checks")
    op.drop_table("fact_checks")
