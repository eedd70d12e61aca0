"""Services, courses and events as forms: the same schemas that validate the seed files validate
what people type, plus the checks only a form needs (Europe/Rome times, coordinates)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin import record_texts
from admin.i18n import N_
from content.schema import CourseDoc, EventDoc, ServiceDoc
from content.texts import PUBLISHED
from shared.clock import ROME
from shared.vocabulary import CATEGORIES, PROVINCES
from storage.content import Course, Event, Service

# Rough bounds of the Marche: a point outside is a typo (swapped or misplaced digits).
LATITUDE = (42.6, 44.0)
LONGITUDE = (12.1, 13.95)
REQUIRED = N_("This field is required.")
CHECK = N_("Check this value.")


@dataclass(frozen=True)
class Field:
    """One form input: the schema field it fills, its label and what to say when it is wrong."""

    name: str
    label: str
    kind: str = "text"  # text, textarea, url, number, select, datetime, date
    choices: tuple[str, ...] = ()
    required: bool = False
    error: str = CHECK


SLUG = Field(
    "slug",
    N_("Identifier"),
    required=True,
    error=N_("Use 2-64 lowercase letters, digits or underscores, not used by another row."),
)
PROVINCE = Field(
    "province",
    N_("Province"),
    "select",
    ("", *PROVINCES),
    error=N_("Choose one of AN, AP, FM, MC, PU, or none for a national service."),
)
COMUNE = Field("comune", N_("Comune"))
SOURCE = Field(
    "source_url",
    N_("Source (web page where this was checked)"),
    "url",
    required=True,
    error=N_("Give a full web address starting with https://"),
)
SOURCE_DATE = Field(
    "source_date",
    N_("Date the source page gives (if it gives one)"),
    "date",
    error=N_("A date such as 2026-03-12, not after today."),
)
# Written per language, one tab each; the Italian text comes first, the others are optional.
EVENT_TEXT = (
    Field("title", N_("Title"), required=True),
    Field("text", N_("Description"), "textarea", required=True),
)


def _blank_to_none(value: str) -> str | None:
    value = value.strip()
    return value or None


def _local_time(value: str) -> datetime | str | None:
    """A `datetime-local` input read as Europe/Rome time (left as text when unreadable)."""
    text = value.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=ROME)
    except ValueError:
        return text


def _number(value: str) -> float | str | None:
    text = value.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


@dataclass(frozen=True)
class Kind:
    """A kind of record the tool edits: its model, schema, form and mapping between them."""

    key: str
    title: str
    model: Any
    schema: type[BaseModel]
    fields: tuple[Field, ...]
    columns: tuple[str, ...]
    to_doc: Callable[[Any, Session], dict[str, Any]]
    to_row: Callable[[BaseModel, Session], dict[str, Any]]
    extra_checks: Callable[[BaseModel], dict[str, str]] = field(default=lambda _doc: {})
    texts: tuple[Field, ...] = ()  # parts written per language, named `<part>_<language>`

    def form_values(self, row: Any, session: Session) -> dict[str, str]:
        """What the form shows for a row (times in Europe/Rome)."""
        doc = self.to_doc(row, session)
        shown: dict[str, str] = {}
        for lang, text in doc.get("translations", {}).items():
            for part in self.texts:
                shown[f"{part.name}_{lang}"] = text.get(part.name, "")
            shown[f"status_{lang}"] = doc["statuses"].get(lang, PUBLISHED)
        for item in self.fields:
            value = doc.get(item.name)
            if isinstance(value, datetime):
                shown[item.name] = value.astimezone(ROME).strftime("%Y-%m-%dT%H:%M")
            else:
                shown[item.name] = "" if value is None else str(value)
        return shown


def _service_doc(row: Service, _session: Session) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "name": row.name,
        "category": row.category_key,
        "kind": row.kind,  # not on the form: an edit keeps it, or the FAQs' offices lose it
        "province": row.province,
        "comune": row.comune,
        "address": row.address,
        "phone": row.phone,
        "opening_hours": row.opening_hours,
        "website": row.website,
        "languages": list(row.languages or ["it"]),
        "latitude": row.latitude,
        "longitude": row.longitude,
        "coordinates_precision": row.coordinates_precision,
        "source_url": row.source_url,
        "source_date": row.source_date,
        "verified_on": row.verified_on,
        "description": dict(row.description or {}),
    }


def _service_row(doc: BaseModel, _session: Session) -> dict[str, Any]:
    values = doc.model_dump(exclude={"category", "verified_on"})
    values["category_key"] = getattr(doc, "category")  # noqa: B009 any schema, one attribute
    return values


def _coordinates(doc: BaseModel) -> dict[str, str]:
    latitude, longitude = getattr(doc, "latitude", None), getattr(doc, "longitude", None)
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        return {missing: N_("Give both latitude and longitude, or neither.")}
    if latitude is None or longitude is None:
        return {}
    problems = {}
    if not LATITUDE[0] <= latitude <= LATITUDE[1]:
        problems["latitude"] = N_("This point is outside the Marche: check the latitude.")
    if not LONGITUDE[0] <= longitude <= LONGITUDE[1]:
        problems["longitude"] = N_("This point is outside the Marche: check the longitude.")
    return problems


def _course_doc(row: Course, _session: Session) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "provider": row.provider,
        "service": row.service.slug if row.service else None,
        "level": row.level,
        "province": row.province,
        "comune": row.comune,
        "place": row.place,
        "schedule": row.schedule,
        "cost_eur": row.cost_eur,
        "enrolment": dict(row.enrolment or {}),
        "source_url": row.source_url,
        "source_date": row.source_date,
        "verified_on": row.verified_on,
    }


def _course_row(doc: BaseModel, session: Session) -> dict[str, Any]:
    values = doc.model_dump(exclude={"service", "verified_on"})
    slug = getattr(doc, "service", None)
    values["service"] = (
        session.scalar(select(Service).where(Service.slug == slug)) if slug else None
    )
    return values


def _event_doc(row: Event, _session: Session) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "translations": {lang: dict(text) for lang, text in (row.translations or {}).items()},
        "statuses": dict(row.statuses or {}),
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "place": row.place,
        "province": row.province,
        "organiser": row.organiser,
        "source_url": row.source_url,
        "source_date": row.source_date,
        "verified_on": row.verified_on,
    }


def event_row(doc: BaseModel, _session: Session) -> dict[str, Any]:
    """Model values of a validated event (also used when a proposal is approved)."""
    return doc.model_dump(exclude={"verified_on"})


def _event_times(doc: BaseModel) -> dict[str, str]:
    starts, ends = getattr(doc, "starts_at", None), getattr(doc, "ends_at", None)
    if starts is not None and ends is not None and ends < starts:
        return {"ends_at": N_("The end is before the start.")}
    return {}


SERVICES = Kind(
    "services",
    N_("Services and offices"),
    Service,
    ServiceDoc,
    (
        SLUG,
        Field("name", N_("Name"), required=True),
        Field("category", N_("Category"), "select", CATEGORIES, required=True),
        PROVINCE,
        COMUNE,
        Field("address", N_("Address")),
        Field("phone", N_("Phone")),
        Field("opening_hours", N_("Opening hours"), "textarea"),
        Field("website", N_("Website"), "url", error=N_("Give a full web address.")),
        Field("latitude", N_("Latitude"), "number", error=N_("A number such as 43.6158.")),
        Field("longitude", N_("Longitude"), "number", error=N_("A number such as 13.5189.")),
        Field(
            "coordinates_precision",
            N_("Coordinates are those of"),
            "select",
            ("", "comune", "address"),
        ),
        SOURCE,
        SOURCE_DATE,
    ),
    ("slug", "name", "province", "comune"),
    _service_doc,
    _service_row,
    _coordinates,
)
COURSES = Kind(
    "courses",
    N_("Italian courses"),
    Course,
    CourseDoc,
    (
        SLUG,
        Field("provider", N_("Provider"), required=True),
        Field("level", N_("Level"), "select", ("A1", "A2", "B1", "B2"), required=True),
        PROVINCE,
        COMUNE,
        Field("place", N_("Place")),
        Field("schedule", N_("Schedule"), "textarea"),
        Field(
            "cost_eur",
            N_("Cost in euro (0 if free, empty if not known)"),
            "number",
            error=N_("An amount such as 0 (free) or 25.50."),
        ),
        SOURCE,
        SOURCE_DATE,
    ),
    ("slug", "provider", "level", "province"),
    _course_doc,
    _course_row,
)
EVENTS = Kind(
    "events",
    N_("Events"),
    Event,
    EventDoc,
    (
        SLUG,
        Field(
            "starts_at",
            N_("Starts (Rome time)"),
            "datetime",
            required=True,
            error=N_("Give a date and time."),
        ),
        Field("ends_at", N_("Ends (Rome time)"), "datetime", error=N_("Give a date and time.")),
        Field("place", N_("Place")),
        PROVINCE,
        Field("organiser", N_("Organiser")),
        SOURCE,
        SOURCE_DATE,
    ),
    ("slug", "starts_at", "province", "organiser"),
    _event_doc,
    event_row,
    _event_times,
    EVENT_TEXT,
)
KINDS = {kind.key: kind for kind in (SERVICES, COURSES, EVENTS)}


def _names(kind: Kind) -> list[str]:
    return [part.name for part in kind.texts]


def _doc_input(kind: Kind, form: Mapping[str, str], base: dict[str, Any]) -> dict[str, Any]:
    """Schema input: the row as it is, overwritten by what the form sent."""
    data = dict(base)
    if kind.texts:
        record_texts.fill(_names(kind), form, data)
    for item in kind.fields:
        raw = str(form.get(item.name, ""))
        if item.kind == "datetime":
            data[item.name] = _local_time(raw)
        elif item.kind == "number":
            data[item.name] = _number(raw)
        else:
            data[item.name] = _blank_to_none(raw)
    return data


def _field_of(location: tuple[int | str, ...]) -> str:
    """Form field of a schema error location (event texts live in `translations`)."""
    if location[:1] == ("translations",) and len(location) >= 3:
        return f"{location[2]}_{location[1]}"
    return str(location[0]) if location else ""


@dataclass
class Outcome:
    """A validated record (as schema object) or the fields that are wrong and why."""

    doc: BaseModel | None
    errors: dict[str, str]


def slug_taken(session: Session, kind: Kind, slug: str, row_id: int | None) -> bool:
    """Whether another row of this kind has the identifier."""
    taken = session.scalar(select(kind.model.id).where(kind.model.slug == slug))
    return taken is not None and taken != row_id


def validate(
    kind: Kind, form: Mapping[str, str], base: dict[str, Any], session: Session, row_id: int | None
) -> Outcome:
    """Check a submitted form; errors map field names to (untranslated) messages."""
    messages = {item.name: item.error for item in kind.fields}
    errors = {
        item.name: REQUIRED
        for item in kind.fields
        if item.required and not str(form.get(item.name, "")).strip()
    }
    for lang in record_texts.required_languages(_names(kind), form, base):
        for part in kind.texts:
            name = f"{part.name}_{lang}"
            if part.required and not str(form.get(name, "")).strip():
                errors[name] = REQUIRED
    doc: BaseModel | None = None
    try:
        doc = kind.schema.model_validate(_doc_input(kind, form, base))
    except ValidationError as exc:
        for error in exc.errors():
            name = _field_of(tuple(error["loc"]))
            errors.setdefault(name, messages.get(name, CHECK))
    if doc is None:
        return Outcome(None, errors)
    errors |= kind.extra_checks(doc)
    if slug_taken(session, kind, getattr(doc, "slug"), row_id):  # noqa: B009 every kind has one
        errors["slug"] = messages["slug"]
    return Outcome(None if errors else doc, errors)


def validate_correction(
    row: Service, fact: str, form: Mapping[str, str], session: Session
) -> Outcome:
    """A fact's right value and the page that states it, checked as the office's form checks
    them: the value is required, the page must be a web address, its date a date."""
    typed = {
        **SERVICES.form_values(row, session),
        fact: str(form.get("value", "")),
        "source_url": str(form.get("source_url", "")),
        "source_date": str(form.get("source_date", "")),
    }
    outcome = validate(SERVICES, typed, SERVICES.to_doc(row, session), session, row.id)
    asked = {fact: "value", "source_url": "source_url", "source_date": "source_date"}
    errors = {asked[name]: error for name, error in outcome.errors.items() if name in asked}
    if not typed[fact].strip():
        errors["value"] = REQUIRED
    if outcome.doc is None and not errors:  # another of the office's facts is wrong
        errors["value"] = CHECK
    return Outcome(None if errors else outcome.doc, errors)
