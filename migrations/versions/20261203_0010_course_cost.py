"""Structured course cost: free (0) or an amount in euro, in cents, instead of free text

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FREE = {"free", "gratis", "gratuito", "gratuita", "0"}
AMOUNT = re.compile(r"(?:€|eur|euro)?\s*(\d{1,6})(?:[.,](\d{1,2}))?\s*(?:€|eur|euro)?", re.I)
courses = sa.table(
    "courses",
    sa.column("id", sa.Integer),
    sa.column("cost", sa.String),
    sa.column("cost_eur", sa.Integer),
)


def cents(text: str | None) -> int | None:
    """The old free text as cents: 0 when free, None when it is not a plain amount."""
    if text is None:
        return None
    words = text.strip().lower()
    if words in FREE:
        return 0
    match = AMOUNT.fullmatch(words)
    if match is None:
        return None  # not an amount: better unknown than a wrong price
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def upgrade() -> None:
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cost_eur", sa.Integer(), nullable=True))
    connection = op.get_bind()
    for row in connection.execute(sa.select(courses.c.id, courses.c.cost)).all():
        value = cents(row.cost)
        if value is not None:
            connection.execute(
                courses.update().where(courses.c.id == row.id).values(cost_eur=value)
            )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("cost")


def downgrade() -> None:
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cost", sa.String(length=100), nullable=True))
    connection = op.get_bind()
    for row in connection.execute(sa.select(courses.c.id, courses.c.cost_eur)).all():
        if row.cost_eur is not None:
            text = "free" if row.cost_eur == 0 else f"{row.cost_eur / 100:.2f} EUR"
            connection.execute(courses.update().where(courses.c.id == row.id).values(cost=text))
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("cost_eur")
