"""Write the database back to the seed YAML files, in the shape `content.loader` reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from content.loader import SEED_DIR
from content.repository import latest_translations
from content.schema import CourseDoc, EventDoc, FaqDoc, IntentsDoc, ServiceDoc, TranslationDoc
from shared.vocabulary import CONVERSATION, LANGUAGES
from storage.content import Course, Event, Faq, IntentExamples, Service


class _Dumper(yaml.SafeDumper):
    """Multi-line text as block scalars, so reviewers read answers as paragraphs in diffs."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


def _ordered(mapping: dict[str, Any]) -> dict[str, Any]:
    return {lang: mapping[lang] for lang in LANGUAGES if lang in mapping}


def export_seed(session: Session, seed_dir: Path = SEED_DIR) -> None:
    """Export FAQs (newest version per language), intents, services, courses and events."""
    by_category: dict[str, list[dict[str, Any]]] = {}
    faqs = session.scalars(select(Faq).options(selectinload(Faq.translations)).order_by(Faq.id))
    for faq in faqs:
        translations = {
            lang: TranslationDoc.model_validate(t, from_attributes=True)
            for lang, t in latest_translations(faq).items()
        }
        doc = FaqDoc(
            slug=faq.slug,
            category=faq.category_key,
            source_url=faq.source_url,
            source_date=faq.source_date,
            verified_on=faq.verified_on,
            offices=faq.offices,
            translations=_ordered(translations),
        )
        by_category.setdefault(faq.category_key, []).append(doc.model_dump(mode="json"))
    for category, docs in by_category.items():
        _write(seed_dir / "faqs" / f"{category}.yaml", docs)

    groups: dict[str, dict[str, dict[str, list[str]]]] = {
        "conversation": {},
        "categories": {},
        "uncovered": {},
    }
    for row in session.scalars(select(IntentExamples).order_by(IntentExamples.id)):
        group = (
            "uncovered"
            if row.topic
            else "conversation"
            if row.intent in CONVERSATION
            else "categories"
        )
        key = row.topic or row.intent
        groups[group].setdefault(key, {})[row.language] = list(row.examples)
    intents = IntentsDoc(**{g: {k: _ordered(v) for k, v in d.items()} for g, d in groups.items()})
    _write(seed_dir / "intents.yaml", intents.model_dump(mode="json"))

    services = session.scalars(select(Service).order_by(Service.id))
    _write(
        seed_dir / "services.yaml",
        [
            ServiceDoc.model_validate({**_columns(row), "category": row.category_key}).model_dump(
                mode="json"
            )
            for row in services
        ],
    )
    courses = session.scalars(
        select(Course).options(selectinload(Course.service)).order_by(Course.id)
    )
    _write(
        seed_dir / "courses.yaml",
        [
            CourseDoc.model_validate(
                {**_columns(row), "service": row.service.slug if row.service else None}
            ).model_dump(mode="json")
            for row in courses
        ],
    )
    events = session.scalars(select(Event).order_by(Event.starts_at))
    _write(
        seed_dir / "events.yaml",
        [EventDoc.model_validate(_columns(row)).model_dump(mode="json") for row in events],
    )


def _columns(row: Any) -> dict[str, Any]:
    """Column values of a row without database ids or when its texts were last written."""
    return {
        column.key: getattr(row, column.key)
        for column in row.__table__.columns
        if column.key not in ("id", "category_key", "service_id", "text_changed_at")
    }
