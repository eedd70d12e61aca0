"""Generate Rasa training data from the content base (never kept by hand in a second place)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from content.places import Gazetteer, gazetteer
from content.repository import published_translations
from nlu.wire import RETRIEVAL_INTENT
from shared.vocabulary import CATEGORIES, CONVERSATION
from storage.content import Faq, IntentExamples

NLU_DIR = Path(__file__).parent
# The generated files, relative to the training directory (`nlu.training_dir`).
DATA = Path("data")
DOMAIN = Path("domain.yml")
PIPELINE = NLU_DIR / "config.yml"
_MARKUP = re.compile(r"[\[\]{}()]")


@dataclass(frozen=True)
class Example:
    """One training message with its label (`faq/<slug>` or an intent key) and language."""

    label: str
    language: str
    text: str
    topic: str = ""  # the uncovered topic of an `out_of_scope` example, if it has one


def examples(session: Session) -> list[Example]:
    """Every labelled example in the content base: FAQ questions and examples, intent examples."""
    found: list[Example] = []
    faqs = session.scalars(select(Faq).options(selectinload(Faq.translations)).order_by(Faq.id))
    for faq in faqs:
        for language, translation in published_translations(faq).items():
            for text in dict.fromkeys([translation.question, *translation.examples]):
                found.append(Example(f"{RETRIEVAL_INTENT}/{faq.slug}", language, text))
    rows = session.scalars(select(IntentExamples).order_by(IntentExamples.id))
    for row in rows:
        found.extend(Example(row.intent, row.language, text, row.topic) for text in row.examples)
    return found


def _block(lines: Iterable[str]) -> str:
    return "".join(f"- {line}\n" for line in lines)


def nlu_document(items: list[Example], places: Gazetteer) -> dict[str, object]:
    """The `nlu.yml` structure: one entry per label, place names cut out as at parse time."""
    by_label: dict[str, list[str]] = {}
    for item in items:
        text = places.without(" ".join(_MARKUP.sub(" ", item.text).split()))
        if text:
            by_label.setdefault(item.label, []).append(text)
    entries: list[dict[str, str]] = [
        {"intent": label, "examples": _block(dict.fromkeys(texts))}
        for label, texts in by_label.items()
    ]
    return {"version": "3.1", "nlu": entries}


def domain_document(faq_slugs: list[str]) -> dict[str, object]:
    """A domain naming every intent and one response per FAQ."""
    return {
        "version": "3.1",
        "intents": [RETRIEVAL_INTENT, *CONVERSATION, *CATEGORIES],
        "responses": {f"utter_{RETRIEVAL_INTENT}/{slug}": [{"text": slug}] for slug in faq_slugs},
    }


class _Dumper(yaml.SafeDumper):
    """Examples as literal blocks, the way Rasa's own files are written."""


_Dumper.add_representer(
    str,
    lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style="|" if "\n" in v else None),
)


def _documents(session: Session) -> tuple[dict[str, object], dict[str, object]]:
    """The `nlu.yml` and `domain.yml` structures of the content base."""
    items = examples(session)
    slugs = sorted({i.label.split("/", 1)[1] for i in items if i.label.startswith("faq/")})
    return nlu_document(items, gazetteer()), domain_document(slugs)


def _dump(document: dict[str, object]) -> str:
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def write_training_data(session: Session, out_dir: Path) -> list[Path]:
    """Write `data/nlu.yml` and `domain.yml` under `out_dir`; return the written paths."""
    nlu, domain = _documents(session)
    files = {out_dir / DATA / "nlu.yml": nlu, out_dir / DOMAIN: domain}
    for path, document in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dump(document), encoding="utf-8")
    return list(files)


def training_payload(session: Session, pipeline: Path = PIPELINE) -> str:
    """Pipeline, domain and examples in one YAML document, as POST /model/train takes them."""
    nlu, domain = _documents(session)
    config = yaml.safe_load(pipeline.read_text(encoding="utf-8"))
    return _dump({**config, **domain, **nlu})
