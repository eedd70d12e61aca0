"""Content base: categories, FAQs with versioned translations, services, courses, events, search

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:35:21.824634
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Full-text index over search_entries.terms (see content/search.py for how terms are made).
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "terms, content='search_entries', content_rowid='id')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
)
POSTGRES_FTS = (
    "CREATE INDEX ix_search_entries_tsv ON search_entries "
    "USING gin (to_tsvector('simple', terms))",
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "categories",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_categories")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column("organiser", sa.String(length=300), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "province IS NULL OR province IN ('AN', 'AP', 'FM', 'MC', 'PU')",
            name=op.f("ck_events_province"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("slug", name=op.f("uq_events_slug")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_province"), ["province"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "intent_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intent", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intent_examples")),
        sa.UniqueConstraint("intent", "language", name=op.f("uq_intent_examples_intent")),
    )
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint("target", "language", name=op.f("uq_search_entries_target")),
    )
    op.create_table(
        "faqs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("category_key", sa.String(length=32), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["category_key"], ["categories.key"], name=op.f("fk_faqs_category_key_categories")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faqs")),
        sa.UniqueConstraint("slug", name=op.f("uq_faqs_slug")),
    )
    with op.batch_alter_table("faqs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_faqs_category_key"), ["category_key"], unique=False)

    op.create_table(
        "services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("category_key", sa.String(length=32), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column("comune", sa.String(length=100), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("opening_hours", sa.Text(), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("coordinates_precision", sa.String(length=16), nullable=True),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "province IS NULL OR province IN ('AN', 'AP', 'FM', 'MC', 'PU')",
            name=op.f("ck_services_province"),
        ),
        sa.ForeignKeyConstraint(
            ["category_key"], ["categories.key"], name=op.f("fk_services_category_key_categories")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
        sa.UniqueConstraint("slug", name=op.f("uq_services_slug")),
    )
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_services_category_key"), ["category_key"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_services_province"), ["province"], unique=False)

    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("provider", sa.String(length=300), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=2), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column("comune", sa.String(length=100), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("schedule", sa.Text(), nullable=True),
        sa.Column("cost", sa.String(length=100), nullable=True),
        sa.Column("enrolment", sa.JSON(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.CheckConstraint("level IN ('A1', 'A2', 'B1', 'B2')", name=op.f("ck_courses_level")),
        sa.CheckConstraint(
            "province IS NULL OR province IN ('AN', 'AP', 'FM', 'MC', 'PU')",
            name=op.f("ck_courses_province"),
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_courses_service_id_services"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("slug", name=op.f("uq_courses_slug")),
    )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courses_province"), ["province"], unique=False)

    op.create_table(
        "faq_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("faq_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "missing",
                "draft",
                "reviewed",
                "published",
                name="translationstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["faq_id"],
            ["faqs.id"],
            name=op.f("fk_faq_translations_faq_id_faqs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_translations")),
        sa.UniqueConstraint(
            "faq_id", "language", "version", name=op.f("uq_faq_translations_faq_id")
        ),
    )
    with op.batch_alter_table("faq_translations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_faq_translations_faq_id"), ["faq_id"], unique=False)

    is_sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_FTS if is_sqlite else POSTGRES_FTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    with op.batch_alter_table("faq_translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faq_translations_faq_id"))

    op.drop_table("faq_translations")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_courses_province"))

    op.drop_table("courses")
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_services_province"))
        batch_op.drop_index(batch_op.f("ix_services_category_key"))

    op.drop_table("services")
    with op.batch_alter_table("faqs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faqs_category_key"))

    op.drop_table("faqs")
    op.drop_table("search_entries")
    op.drop_table("intent_examples")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_starts_at"))
        batch_op.drop_index(batch_op.f("ix_events_province"))

    op.drop_table("events")
    op.drop_table("categories")
