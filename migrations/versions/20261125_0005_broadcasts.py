"""Broadcasts: subscriptions, announcements and their delivery rows

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "topic",
            sa.Enum(
                "events",
                "language_courses",
                "housing",
                "services_news",
                name="topic",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "province IS NULL OR province IN ('AN', 'AP', 'FM', 'MC', 'PU')",
            name=op.f("ck_subscriptions_province"),
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["bot_users.chat_id"],
            name=op.f("fk_subscriptions_chat_id_bot_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("chat_id", "topic", name=op.f("uq_subscriptions_chat_id")),
    )
    op.create_index(op.f("ix_subscriptions_chat_id"), "subscriptions", ["chat_id"])
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("provinces", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "scheduled",
                "sending",
                "done",
                "cancelled",
                name="announcementstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("fallback_language", sa.String(length=8), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )
    op.create_index(op.f("ix_announcements_send_at"), "announcements", ["send_at"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "sent",
                "failed",
                "blocked",
                "uncertain",
                name="deliverystate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["announcement_id"],
            ["announcements.id"],
            name=op.f("fk_deliveries_announcement_id_announcements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["bot_users.chat_id"],
            name=op.f("fk_deliveries_chat_id_bot_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint(
            "announcement_id", "chat_id", name=op.f("uq_deliveries_announcement_id")
        ),
    )
    op.create_index(op.f("ix_deliveries_announcement_id"), "deliveries", ["announcement_id"])
    op.create_index(op.f("ix_deliveries_chat_id"), "deliveries", ["chat_id"])
    op.create_index(op.f("ix_deliveries_state"), "deliveries", ["state"])


def downgrade() -> None:
    op.drop_index(op.f("ix_deliveries_state"), table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_chat_id"), table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_announcement_id"), table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index(op.f("ix_announcements_send_at"), table_name="announcements")
    op.drop_table("announcements")
    op.drop_index(op.f("ix_subscriptions_chat_id"), table_name="subscriptions")
    op.drop_table("subscriptions")
