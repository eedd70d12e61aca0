"""Telegram chats linked by a one-time code, and sessions that end

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 16:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("admin_users") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )
    # A chat id typed in the profile was never proven to be its editor's: link it again.
    op.execute(sa.text("UPDATE admin_users SET telegram_chat_id = NULL"))
    op.create_table(
        "chat_link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["admin_users.id"],
            name=op.f("fk_chat_link_codes_account_id_admin_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_link_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_chat_link_codes_code_hash")),
    )
    with op.batch_alter_table("chat_link_codes") as batch:
        batch.create_index(batch.f("ix_chat_link_codes_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("chat_link_codes") as batch:
        batch.drop_index(batch.f("ix_chat_link_codes_expires_at"))
    op.drop_table("chat_link_codes")
    with op.batch_alter_table("admin_users") as batch:
        batch.drop_column("session_generation")
