"""Feedback and inbox questions older than the retention period are purged; newer ones stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.retention import purge
from storage.handoff import HandoffMessage, HandoffTicket, TicketStatus
from storage.inbox import InboxQuestion
from storage.users import BotUser, Feedback


def test_purge_keeps_only_the_retention_window(sessions: sessionmaker[Session]) -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    with sessions.begin() as session:
        for age in (31, 30.5, 29, 0):
            session.add(
                Feedback(
                    topic=f"faq/age_{age}",
                    language="it",
                    helpful=True,
                    created_at=now - timedelta(days=age),
                )
            )
    with sessions.begin() as session:
        assert purge(session, now, days=30) == 2
    with sessions() as session:
        kept = session.scalars(select(Feedback.topic).order_by(Feedback.topic)).all()
    assert kept == ["faq/age_0", "faq/age_29"]


def test_purge_drops_conversations_quiet_for_the_retention_window(
    sessions: sessionmaker[Session],
) -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    with sessions.begin() as session:
        session.add(BotUser(chat_id=42, language="ar", consented_at=now - timedelta(days=90)))
        session.flush()  # the user's row first (see BotUser)
        for quiet in (31, 2):
            session.add(
                HandoffTicket(
                    chat_id=42,
                    language="ar",
                    status=TicketStatus.OPEN,
                    opened_at=now - timedelta(days=60),
                    updated_at=now - timedelta(days=quiet),
                    messages=[HandoffMessage(group_message_id=quiet)],
                )
            )
    with sessions.begin() as session:
        assert purge(session, now, days=30) == 1
    with sessions() as session:
        assert session.scalars(select(HandoffMessage.group_message_id)).all() == [2]
        assert session.get(BotUser, 42) is not None, "only the old conversation goes"


def test_purge_removes_old_inbox_questions_too(sessions: sessionmaker[Session]) -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    with sessions.begin() as session:
        for age in (45, 30.01, 29.9, 1):
            session.add(
                InboxQuestion(
                    text=f"domanda di {age} giorni fa",
                    language="it",
                    category=None,
                    created_at=now - timedelta(days=age),
                )
            )
    with sessions.begin() as session:
        assert purge(session, now, days=30) == 2
    with sessions() as session:
        kept = session.scalars(select(InboxQuestion.text).order_by(InboxQuestion.id)).all()
    assert kept == ["domanda di 29.9 giorni fa", "domanda di 1 giorni fa"]
