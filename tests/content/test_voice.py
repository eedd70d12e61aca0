"""Voice notes: real Ogg/Opus files by espeak-ng and opusenc, once per version and language."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.voice import VoiceNotes, ogg_seconds
from shared.vocabulary import LANGUAGES
from storage.content import Faq, FaqTranslation, TranslationStatus

SLUG = "permit_renewal"


def is_ogg_opus(data: bytes) -> bool:
    """An Ogg stream whose first packet is an Opus head (RFC 7845)."""
    return data.startswith(b"OggS") and data[28:36] == b"OpusHead"


def notes(sessions: sessionmaker[Session], directory: Path) -> VoiceNotes:
    return VoiceNotes(sessions, directory, LANGUAGES, ["it"])


def test_a_note_is_made_once_and_kept(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    voices = notes(seeded, tmp_path)
    first = voices.faq(SLUG, "ur")
    assert first is not None and is_ogg_opus(first.path.read_bytes())
    made = first.path.stat().st_mtime_ns
    again = voices.faq(SLUG, "ur")
    assert again == first and again.path.stat().st_mtime_ns == made  # not made again
    assert list(tmp_path.iterdir()) == [first.path]
    # opusinfo (opus-tools) reads the whole stream: the length it finds is ours.
    info = subprocess.run(["opusinfo", str(first.path)], capture_output=True, text=True)
    assert info.returncode == 0 and "Playback length" in info.stdout
    assert 3 <= first.seconds <= 60
    assert abs(ogg_seconds(first.path.read_bytes()) - first.seconds) < 1


def test_a_new_version_makes_a_new_note(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    voices = notes(seeded, tmp_path)
    before = voices.faq(SLUG, "it")
    assert before is not None
    with seeded.begin() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == SLUG)).one()
        newest = max((t for t in faq.translations if t.language == "it"), key=lambda t: t.version)
        edited = FaqTranslation(
            language="it",
            version=newest.version + 1,
            status=TranslationStatus.PUBLISHED,
            question=newest.question,
            short="Rinnova il permesso alla Questura. Telefono 071 5431.",
            answer=newest.answer,
            created_at=datetime.now(UTC),
        )
        faq.translations.append(edited)
    try:
        after = voices.faq(SLUG, "it")
        assert after is not None and after.path != before.path
        assert before.path.exists() and is_ogg_opus(after.path.read_bytes())
    finally:
        with seeded.begin() as session:
            session.delete(session.get(FaqTranslation, edited.id))


def test_no_note_without_a_published_text(seeded: sessionmaker[Session], tmp_path: Path) -> None:
    assert notes(seeded, tmp_path).faq("no_such_faq", "it") is None
    assert list(tmp_path.iterdir()) == []


def test_every_language_has_an_answer_to_listen_to(
    seeded: sessionmaker[Session], tmp_path: Path
) -> None:
    samples = notes(seeded, tmp_path).samples()
    assert set(samples) == set(LANGUAGES)
