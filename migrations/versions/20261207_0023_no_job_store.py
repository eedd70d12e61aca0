"""The announcement scheduler's job store goes: the announcements table alone says what is due

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 19:20:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # APScheduler made this table itself, outside the migrations; a database made since has none.
    op.execute("DROP TABLE IF EXISTS apscheduler_jobs")


def downgrade() -> None:
    # An older scheduler makes its table again when it starts.
    pass
