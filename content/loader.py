"""Idempotent load of the seed YAML into the database: upsert by slug, never duplicating."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from content.facts import corrected
from content.repository import latest_translations, rebuild_search
from content.schema import CourseDoc, EventDoc, FaqDoc, IntentsDoc, ServiceDoc
from shared.vocabulary import CATEGORIES, OUT_OF_SCOPE
from storage.content import Category, Course, Event, Faq, FaqTranslation, IntentExamples, Service

SEED_DIR = Path(__file__).parent / "seed"


class SeedError(ValueError):
    """A seed file that does not match the schema; the message names the file and the field."""


@dataclass
class LoadReport:
    """What a load changed, per kind of row: created / updated / unchanged."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def note(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def summary(self) -> str:
        return "; ".join(
            f"{kind}: " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(counter.items()))
            for kind, counter in self.counts.items()
        )


def _read(path: Path, adapter: TypeAdapter[Any]) -> Any:
    try:
        return adapter.validate_python(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        raise SeedError(f"{path}: {exc}") from exc


def _apply(row: Any, values: dict[str, Any]) -> bool:
    """Set attributes that differ; keep a person's `verified_on` when the file has none."""
    if values.get("verified_on") is None:
        values.pop("verified_on", None)
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def _upsert(
    session: Session, report: LoadReport, model: Any, slug: str, values: dict[str, Any]
) -> Any:
    row = session.scalar(select(model).where(model.slug == slug))
    if row is None:
        row = model(slug=slug)
        session.add(row)
        _apply(row, values)
        report.note(model.__tablename__, "created")
    else:
        report.note(model.__tablename__, "updated" if _apply(row, values) else "unchanged")
    return row


def _fields(doc: BaseModel, *exclude: str) -> dict[str, Any]:
    return doc.model_dump(exclude={"slug", "category", *exclude})


def load_faq(session: Session, report: LoadReport, doc: FaqDoc) -> Faq:
    """Upsert one FAQ; a changed translation becomes a new version, an unchanged one is left."""
    faq: Faq = _upsert(
        session,
        report,
        Faq,
        doc.slug,
        {"category_key": doc.category, **_fields(doc, "translations")},
    )
    current = latest_translations(faq)
    for language, text in doc.translations.items():
        latest = current.get(language)
        # A desk text taken out of the file is taken out of the new version too.
        values = {"desk": None, **text.model_dump()}
        if latest is not None and all(getattr(latest, k) == v for k, v in values.items()):
            continue
        faq.translations.append(
            FaqTranslation(
                language=language, version=latest.version + 1 if latest else 1, **values
            )
        )
        report.note("faq_translations", "versioned" if latest else "created")
    return faq


def load_intents(session: Session, report: LoadReport, doc: IntentsDoc) -> None:
    """Upsert the examples of each intent (and uncovered topic) per language."""
    existing = {
        (row.intent, row.language, row.topic): row
        for row in session.scalars(select(IntentExamples))
    }
    groups = [
        *(
            (intent, "", by_language)
            for group in (doc.conversation, doc.categories)
            for intent, by_language in group.items()
        ),
        *((OUT_OF_SCOPE, topic, by_language) for topic, by_language in doc.uncovered.items()),
    ]
    for intent, topic, by_language in groups:
        for language, examples in by_language.items():
            row = existing.get((intent, language, topic))
            if row is None:
                session.add(
                    IntentExamples(
                        intent=intent, language=language, topic=topic, examples=examples
                    )
                )
                report.note("intent_examples", "created")
            else:
                report.note(
                    "intent_examples",
                    "updated" if _apply(row, {"examples": examples}) else "unchanged",
                )


def seed_faqs(seed_dir: Path = SEED_DIR) -> list[FaqDoc]:
    """The FAQs of the seed files, validated."""
    return [
        doc
        for path in sorted((seed_dir / "faqs").glob("*.yaml"))
        for doc in _read(path, TypeAdapter(list[FaqDoc]))
    ]


def seed_intents(seed_dir: Path = SEED_DIR) -> IntentsDoc:
    """The intent examples of the seed file, validated."""
    doc: IntentsDoc = _read(seed_dir / "intents.yaml", TypeAdapter(IntentsDoc))
    return doc


def load_seed(session: Session, seed_dir: Path = SEED_DIR) -> LoadReport:
    """Load every seed file in `seed_dir`, then rebuild the search index."""
    report = LoadReport()
    for position, key in enumerate(CATEGORIES):
        if session.get(Category, key) is None:
            session.add(Category(key=key, position=position))
    session.flush()
    for doc in seed_faqs(seed_dir):
        load_faq(session, report, doc)
    load_intents(session, report, seed_intents(seed_dir))
    services: dict[str, Service] = {}
    # A fact a person corrected from an official page stays as they gave it, as `verified_on` does.
    kept = {row.slug: set(corrected(row)) for row in session.scalars(select(Service))}
    for service in _read(seed_dir / "services.yaml", TypeAdapter(list[ServiceDoc])):
        values = {"category_key": service.category, **_fields(service)}
        for fact in kept.get(service.slug, ()):
            del values[fact]
        services[service.slug] = _upsert(session, report, Service, service.slug, values)
    session.flush()
    for course in _read(seed_dir / "courses.yaml", TypeAdapter(list[CourseDoc])):
        provider = services.get(course.service) if course.service else None
        if course.service and provider is None:
            raise SeedError(f"course {course.slug}: unknown service {course.service!r}")
        _upsert(
            session,
            report,
            Course,
            course.slug,
            {"service": provider, **_fields(course, "service")},
        )
    for event in _read(seed_dir / "events.yaml", TypeAdapter(list[EventDoc] | None)) or []:
        values = _fields(event, "translations")
        values["translations"] = {k: v.model_dump() for k, v in event.translations.items()}
        _upsert(session, report, Event, event.slug, values)
    session.flush()
    rebuild_search(session)
    return report
