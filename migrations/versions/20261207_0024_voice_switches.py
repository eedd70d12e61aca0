"""A mediator's choice of which languages' voices read answers aloud ("🔊 Listen")

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 19:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voice_switches",
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("language", name=op.f("pk_voice_switches")),
    )


def downgrade() -> None:
    op.drop_table("voice_switches")
