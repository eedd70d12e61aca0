"""Reminders: event and permit reminders, announcement kinds and texts statuses, test-send chat id

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 18:38:16.817855
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["bot_users.chat_id"],
            name=op.f("fk_event_reminders_chat_id_bot_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_reminders_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_reminders")),
        sa.UniqueConstraint("chat_id", "event_id", name=op.f("uq_event_reminders_chat_id")),
    )
    with op.batch_alter_table("event_reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_reminders_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_reminders_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "permit_reminders",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("reminded_days", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["bot_users.chat_id"],
            name=op.f("fk_permit_reminders_chat_id_bot_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_permit_reminders")),
    )
    with op.batch_alter_table("permit_reminders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_permit_reminders_expires_on"), ["expires_on"], unique=False
        )

    with op.batch_alter_table("admin_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("telegram_chat_id", sa.BigInteger(), nullable=True))

    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "announcement",
                    "event_reminder",
                    "permit_reminder",
                    name="announcementkind",
                    native_enum=False,
                    length=16,
                ),
                server_default="announcement",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("key", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("statuses", sa.JSON(), server_default="{}", nullable=False))
        batch_op.create_unique_constraint(batch_op.f("uq_announcements_key"), ["key"])
        batch_op.create_foreign_key(
            batch_op.f("fk_announcements_event_id_events"),
            "events",
            ["event_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("province", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("province")

    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_announcements_event_id_events"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_announcements_key"), type_="unique")
        batch_op.drop_column("statuses")
        batch_op.drop_column("event_id")
        batch_op.drop_column("key")
        batch_op.drop_column("kind")

    with op.batch_alter_table("admin_users", schema=None) as batch_op:
        batch_op.drop_column("telegram_chat_id")

    with op.batch_alter_table("permit_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_permit_reminders_expires_on"))

    op.drop_table("permit_reminders")
    with op.batch_alter_table("event_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_reminders_event_id"))
        batch_op.drop_index(batch_op.f("ix_event_reminders_chat_id"))

    op.drop_table("event_reminders")
