"""Bot users: chat id, language, province and consent time of chats that accepted the notice

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:46:40.127829
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bot_users",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "province IS NULL OR province IN ('AN', 'AP', 'FM', 'MC', 'PU')",
            name=op.f("ck_bot_users_province"),
        ),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_bot_users")),
    )


def downgrade() -> None:
    op.drop_table("bot_users")
