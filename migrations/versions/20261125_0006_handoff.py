"""Talk to a person: tickets and the group messages that belong to them

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 18:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "requested", "open", "closed", name="ticketstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "province IS NULL OR province IN ('AN', 'AP', 'FM', 'MC', 'PU')",
            name=op.f("ck_handoff_tickets_province"),
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["bot_users.chat_id"],
            name=op.f("fk_handoff_tickets_chat_id_bot_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_tickets")),
    )
    op.create_index(op.f("ix_handoff_tickets_chat_id"), "handoff_tickets", ["chat_id"])
    op.create_index(op.f("ix_handoff_tickets_status"), "handoff_tickets", ["status"])
    op.create_index(op.f("ix_handoff_tickets_updated_at"), "handoff_tickets", ["updated_at"])
    op.create_table(
        "handoff_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("group_message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["handoff_tickets.id"],
            name=op.f("fk_handoff_messages_ticket_id_handoff_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_messages")),
    )
    op.create_index(op.f("ix_handoff_messages_ticket_id"), "handoff_messages", ["ticket_id"])
    op.create_index(
        op.f("ix_handoff_messages_group_message_id"), "handoff_messages", ["group_message_id"]
    )


def downgrade() -> None:
    op.drop_table("handoff_messages")
    op.drop_table("handoff_tickets")
