"""Unanswered questions linked to the chat that typed them, so /deletedata deletes them too

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Questions kept before have no link and cannot get one: they go with the retention.
    with op.batch_alter_table("inbox_questions") as batch:
        batch.add_column(sa.Column("chat_id", sa.BigInteger(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_inbox_questions_chat_id_bot_users"),
            "bot_users",
            ["chat_id"],
            ["chat_id"],
            ondelete="CASCADE",
        )
    op.create_index(
        op.f("ix_inbox_questions_chat_id"), "inbox_questions", ["chat_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_inbox_questions_chat_id"), table_name="inbox_questions")
    with op.batch_alter_table("inbox_questions") as batch:
        batch.drop_constraint(batch.f("fk_inbox_questions_chat_id_bot_users"), type_="foreignkey")
        batch.drop_column("chat_id")
