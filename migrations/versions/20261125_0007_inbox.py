"""Mediator inbox: unanswered questions (text only) and anonymous message counts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("topic", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("faq_slug", sa.String(length=64), nullable=True),
        sa.Column("converted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_questions")),
    )
    op.create_index(op.f("ix_inbox_questions_language"), "inbox_questions", ["language"])
    op.create_index(op.f("ix_inbox_questions_created_at"), "inbox_questions", ["created_at"])
    op.create_table(
        "message_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_counts")),
        sa.UniqueConstraint(
            "day", "language", "category", "engine", "answered", name=op.f("uq_message_counts_day")
        ),
    )
    op.create_index(op.f("ix_message_counts_day"), "message_counts", ["day"])


def downgrade() -> None:
    op.drop_index(op.f("ix_message_counts_day"), table_name="message_counts")
    op.drop_table("message_counts")
    op.drop_index(op.f("ix_inbox_questions_created_at"), table_name="inbox_questions")
    op.drop_index(op.f("ix_inbox_questions_language"), table_name="inbox_questions")
    op.drop_table("inbox_questions")
