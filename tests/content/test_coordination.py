"""Hits and job claims shared by bot processes, on both databases."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from content.coordination import claim, count_hit


def test_hits_are_counted_per_name_key_and_period(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        assert [count_hit(session, "flood", 7, 100) for _ in range(3)] == [1, 2, 3]
        assert count_hit(session, "flood", 8, 100) == 1, "another user"
        assert count_hit(session, "flood", 7, 101) == 1, "the next period"
        assert count_hit(session, "warned", 7, 100) == 1, "another limit"


def test_a_job_is_claimed_once_per_period(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        assert claim(session, "digest", "2026-12-07")
    with sessions.begin() as session:
        assert not claim(session, "digest", "2026-12-07"), "a second process skips it"
        assert claim(session, "digest", "2026-12-14")
        assert claim(session, "retention", "2026-12-07")
