"""Voice notes of answers and office cards: spoken offline by espeak-ng, encoded by opusenc,
kept on disk.

A note is made on the first "🔊 Listen" of an FAQ's version (or an office card) in a language
and kept: its file name holds the FAQ's slug and version (or the office's slug), the language
and a digest of what is said, so a new version (or an edited office, or a seed reload that
rewrites a text) makes a new file and every tap after the first sends the kept one. The files
are a cache of the content, made again from it at will: they stay out of the database and its
backups.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.speech import VOICES, ssml
from shared.settings import Settings
from storage.content import Faq, FaqTranslation, TranslationStatus
from storage.voices import voices_on

OPUS_RATE = 48_000  # Opus granule positions count 48 kHz samples, whatever the input's rate
# Speech needs little: 24 kbit/s keeps a 20-second answer near 60 KB.
BITRATE_KBPS = "24"
SECONDS = 60  # the longest a synthesis may take before it counts as failed


class VoiceError(RuntimeError):
    """espeak-ng or opusenc is missing or failed."""


@dataclass(frozen=True)
class VoiceNote:
    """A text spoken, as an Ogg/Opus file, and how long it plays."""

    path: Path
    seconds: int


def ogg_seconds(data: bytes) -> float:
    """Playing time of an Ogg/Opus file: the last page's granule position less the pre-skip."""
    head = data.find(b"OpusHead")
    last = data.rfind(b"OggS")
    if head < 0 or last < 0:
        raise VoiceError("not an Ogg/Opus file")
    pre_skip = int.from_bytes(data[head + 10 : head + 12], "little")
    granule = int.from_bytes(data[last + 6 : last + 14], "little")
    return max(granule - pre_skip, 0) / OPUS_RATE


def synthesize(text: str, language: str, target: Path) -> None:
    """Speak `text` in `language` into an Ogg/Opus file at `target`, written whole or not at
    all (another process may make the same note at the same time)."""
    try:
        wave = subprocess.run(
            ["espeak-ng", "-v", VOICES[language], "-m", "-b", "1", "--stdout"],
            input=ssml(text, language).encode(),
            capture_output=True,
            check=True,
            timeout=SECONDS,
        ).stdout
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as part:
            written = Path(part.name)
        try:
            subprocess.run(
                ["opusenc", "--quiet", "--bitrate", BITRATE_KBPS, "-", str(written)],
                input=wave,
                capture_output=True,
                check=True,
                timeout=SECONDS,
            )
            written.replace(target)
        finally:
            written.unlink(missing_ok=True)
    except (OSError, subprocess.SubprocessError) as error:
        raise VoiceError(f"voice note in {language} not made: {type(error).__name__}") from error


def spoken(translation: FaqTranslation) -> str:
    """What "🔊 Listen" reads: the short text the user sees first, else the whole answer."""
    return translation.short or translation.answer


class VoiceNotes:
    """Voice notes of the FAQs kept in `directory`, and which languages' voices are on."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        directory: Path,
        languages: Sequence[str],
        default: Sequence[str],
    ) -> None:
        self.sessions = sessions
        self.directory = directory
        self.languages = languages
        self.default = default  # on where no mediator chose (`voice.languages` in config.yml)

    def on(self) -> list[str]:
        """The languages whose voice is on."""
        with self.sessions() as session:
            return voices_on(session, self.languages, self.default)

    def speaks(self, language: str) -> bool:
        """Whether answers in `language` get a "🔊 Listen" button."""
        return language in self.on()

    def faq(self, slug: str, language: str) -> VoiceNote | None:
        """The FAQ's newest published text in `language` spoken, made now unless kept; None when
        it has none in that language. Blocks: call it off the event loop."""
        query = (
            select(FaqTranslation)
            .join(Faq)
            .where(
                Faq.slug == slug,
                FaqTranslation.language == language,
                FaqTranslation.status == TranslationStatus.PUBLISHED,
            )
            .order_by(FaqTranslation.version.desc())
            .limit(1)
        )
        with self.sessions() as session:
            translation = session.scalar(query)
            if translation is None:
                return None
            text, version = spoken(translation), translation.version
        return self.say(f"{slug}.v{version}", text, language)

    def office(self, slug: str, text: str, language: str) -> VoiceNote:
        """An office card spoken (offices are edited in place: the digest tells versions apart).
        Blocks: call it off the event loop."""
        return self.say(f"office.{slug}", text, language)

    def say(self, name: str, text: str, language: str) -> VoiceNote:
        """`text` spoken in `language`, made now unless a note of the same name and words is
        kept."""
        digest = hashlib.sha256(ssml(text, language).encode()).hexdigest()[:12]
        path = self.directory / f"{name}.{language}.{digest}.ogg"
        if not path.exists():
            synthesize(text, language, path)
        return VoiceNote(path, round(ogg_seconds(path.read_bytes())) or 1)

    def samples(self) -> dict[str, tuple[str, str]]:
        """Per language, an FAQ to listen to before switching its voice on: the first one with
        a published text in it, as (slug, question)."""
        query = (
            select(Faq.slug, FaqTranslation.language, FaqTranslation.question)
            .join(Faq.translations)
            .where(FaqTranslation.status == TranslationStatus.PUBLISHED)
            .order_by(Faq.id.desc(), FaqTranslation.version)
        )
        with self.sessions() as session:
            rows = session.execute(query).all()
        return {language: (slug, question) for slug, language, question in rows}


def voice_notes(settings: Settings, sessions: sessionmaker[Session]) -> VoiceNotes:
    """The voice notes as configured: their folder and the voices on by default."""
    return VoiceNotes(
        sessions, settings.path(settings.voice.dir), settings.languages, settings.voice.languages
    )
