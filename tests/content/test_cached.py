"""Users' answers read the content once, until an edit saved in the admin tool is audited."""

from __future__ import annotations

import time

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from content.cached import CachedContent, ContentCache
from content.loader import load_seed
from content.repository import ContentRepository
from storage.admin import AuditEntry
from storage.content import Faq, FaqTranslation

SECONDS = 0.5


def _statements(engine: Engine) -> list[str]:
    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    return sent


def _edit(sessions: sessionmaker[Session], question: str, audited: bool) -> None:
    """Change the Italian question of the permit renewal FAQ, as the tool would, or behind its
    back."""
    with sessions.begin() as session:
        text = session.scalars(
            select(FaqTranslation)
            .join(Faq)
            .where(Faq.slug == "permit_renewal", FaqTranslation.language == "it")
        ).one()
        text.question = question
        if audited:
            session.add(AuditEntry(username="m", action="faq.edit", target="faq/permit_renewal"))


def test_an_edit_reaches_the_answers_once_audited_and_nothing_is_read_twice_before(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        load_seed(session)
    repository = ContentRepository(sessions)
    content = CachedContent(repository, ContentCache(SECONDS, repository.version))
    first = content.faq_answer("permit_renewal", ["it", "en"])
    assert first is not None
    sent = _statements(engine)
    again = content.faq_answer("permit_renewal", ("it", "en"))
    assert again == first and sent == [], "read once: the second comes from memory"

    _edit(sessions, "Come si rinnova il permesso? (non registrato)", audited=False)
    time.sleep(SECONDS * 1.5)
    unaudited = content.faq_answer("permit_renewal", ["it", "en"])
    assert unaudited is not None and unaudited.question == first.question

    _edit(sessions, "Come si rinnova il permesso di soggiorno?", audited=True)
    assert content.faq_answer("permit_renewal", ["it", "en"]) == first, "within the period"
    time.sleep(SECONDS * 1.5)
    edited = content.faq_answer("permit_renewal", ["it", "en"])
    assert edited is not None and edited.question == "Come si rinnova il permesso di soggiorno?"
