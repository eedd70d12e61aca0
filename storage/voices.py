"""Which languages' voices a mediator switched on or off for "🔊 Listen"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Boolean, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import Base, UtcDateTime


class VoiceSwitch(Base):
    """A mediator's choice for one language; a language without a row follows `config.yml`."""

    __tablename__ = "voice_switches"

    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


def voices_on(session: Session, languages: Sequence[str], default: Sequence[str]) -> list[str]:
    """The languages among `languages` whose voice is on: a mediator's choice, else `default`."""
    chosen = {row.language: row.enabled for row in session.scalars(select(VoiceSwitch))}
    return [code for code in languages if chosen.get(code, code in default)]


def switch_voice(session: Session, language: str, on: bool, now: datetime) -> None:
    """Keep a mediator's choice for a language, over any earlier one."""
    row = session.get(VoiceSwitch, language)
    if row is None:
        session.add(VoiceSwitch(language=language, enabled=on, changed_at=now))
    else:
        row.enabled, row.changed_at = on, now
