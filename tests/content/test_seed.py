"""The seed content keeps the rules: complete, sourced, unverified, no invented numbers."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic import TypeAdapter

from bench.nlu_eval import BENCH_DIR
from content.loader import SEED_DIR
from content.schema import CourseDoc, FaqDoc, IntentsDoc, ServiceDoc
from content.text import fold
from shared.vocabulary import CATEGORIES, CONVERSATION, LANGUAGES

# National numbers known for certain; any other phone-like number must be quoted from its official
# page in the seed README's "Where each fact comes from", so a person can check it.
KNOWN_NUMBERS = {"112", "113", "114", "115", "118", "1522", "800290290"}
PHONE = re.compile(r"(?<!\d)(?:\+39[\s.]?)?(?:\d[\s.]?){2,12}\d(?!\d)")


def read(name: str) -> object:
    return yaml.safe_load((SEED_DIR / name).read_text(encoding="utf-8"))


def faqs() -> list[FaqDoc]:
    adapter = TypeAdapter(list[FaqDoc])
    return [
        f
        for p in sorted((SEED_DIR / "faqs").glob("*.yaml"))
        for f in adapter.validate_python(yaml.safe_load(p.read_text(encoding="utf-8")))
    ]


def test_at_least_sixty_faqs_across_all_categories() -> None:
    docs = faqs()
    assert len(docs) >= 60
    assert set(Counter(f.category for f in docs)) == set(CATEGORIES)
    assert len({f.slug for f in docs}) == len(docs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_faq_in_every_language_with_six_examples(language: str) -> None:
    for faq in faqs():
        text = faq.translations[language]
        assert text.question and text.answer, faq.slug
        assert len(set(text.examples)) >= 6, (faq.slug, language)


def test_intents_in_every_language() -> None:
    intents = IntentsDoc.model_validate(read("intents.yaml"))
    assert set(intents.conversation) == set(CONVERSATION)
    assert set(intents.categories) == set(CATEGORIES)
    for group in (intents.conversation, intents.categories):
        for intent, by_language in group.items():
            assert set(by_language) == set(LANGUAGES), intent
            assert all(len(set(v)) >= 6 for v in by_language.values()), intent


def test_uncovered_topics_in_every_language_apart_from_the_final_test() -> None:
    intents = IntentsDoc.model_validate(read("intents.yaml"))
    assert len(intents.uncovered) >= 40
    for topic, by_language in intents.uncovered.items():
        assert set(by_language) == set(LANGUAGES), topic
        assert all(len(set(v)) >= 6 for v in by_language.values()), topic
    final_test = yaml.safe_load((BENCH_DIR / "out_of_scope.yml").read_text(encoding="utf-8"))
    written = {fold(t) for v in intents.uncovered.values() for ts in v.values() for t in ts}
    assert not written & {fold(t) for texts in final_test.values() for t in texts}


def numbers_in(text: str) -> set[str]:
    return {re.sub(r"\D", "", m) for m in PHONE.findall(text) if len(re.sub(r"\D", "", m)) >= 3}


def sources() -> str:
    """The seed README's account of where each fact comes from."""
    readme = (SEED_DIR / "README.md").read_text(encoding="utf-8")
    return readme[readme.index("## Where each fact comes from") :]


def test_no_phone_number_but_the_national_ones_and_those_quoted_from_their_page() -> None:
    years_and_counts = re.compile(r"^(1[89]\d\d|20\d\d|\d{1,3})$")
    found: set[str] = set()
    for faq in faqs():
        for text in faq.translations.values():
            found |= numbers_in(text.answer)
    assert {n for n in found if not years_and_counts.match(n)} <= KNOWN_NUMBERS
    services = TypeAdapter(list[ServiceDoc]).validate_python(read("services.yaml"))
    quoted = numbers_in(sources().replace("/", " "))  # pages write "0721/639014"
    for service in services:
        local = numbers_in(service.phone or "") - KNOWN_NUMBERS
        assert local <= quoted, f"{service.slug}: phone not quoted from its page: {sorted(local)}"


def test_an_address_or_local_phone_comes_with_the_page_that_states_it() -> None:
    services = TypeAdapter(list[ServiceDoc]).validate_python(read("services.yaml"))
    explained = sources()
    stated = [s for s in services if s.address or numbers_in(s.phone or "") - KNOWN_NUMBERS]
    assert len(stated) >= 6
    for service in stated:
        page = urlsplit(service.source_url)
        assert page.path.strip("/") or page.query, f"{service.slug}: a home page states nothing"
        assert f"`{service.slug}`" in explained, f"{service.slug}: not in the seed README"


def test_facts_are_sourced_and_left_for_a_person_to_verify() -> None:
    services = TypeAdapter(list[ServiceDoc]).validate_python(read("services.yaml"))
    courses = TypeAdapter(list[CourseDoc]).validate_python(read("courses.yaml"))
    for row in [*services, *courses, *faqs()]:
        assert urlsplit(row.source_url).scheme in ("https", "http"), row.slug
        assert row.verified_on is None, f"{row.slug}: seed written without internet access"
    for service in services:
        assert set(service.description) == set(LANGUAGES), service.slug
    provinces = {s.province for s in services if s.slug.startswith(("questura", "cpia"))}
    assert provinces == {"AN", "AP", "FM", "MC", "PU"}


def test_places_file_names_real_comuni(tmp_path: Path) -> None:
    from content.places import istat_comuni

    spellings = read("places.yaml")
    assert isinstance(spellings, dict)
    assert set(spellings) <= set(istat_comuni())
