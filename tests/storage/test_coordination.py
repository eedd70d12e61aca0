"""Hits, job claims and chats' turns shared by bot processes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from storage.coordination import claim, count_hit, end_turn, take_turn
from storage.db import make_sessionmaker
from tests.support.databases import fresh_engine


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


def test_a_chats_turn_is_one_processs_until_given_back_or_its_lease_runs_out(
    tmp_path: Path,
) -> None:
    engine = fresh_engine("postgresql", tmp_path)  # turns are taken only where processes share
    sessions = make_sessionmaker(engine)
    minute = timedelta(minutes=1)
    with sessions.begin() as session:
        assert take_turn(session, 42, "a", minute)
        assert not take_turn(session, 42, "b", minute), "the chat's next update waits"
        assert take_turn(session, 42, "a", minute), "a's own row: one a could not give back"
        assert take_turn(session, 43, "b", minute), "another chat does not"
        end_turn(session, 42, "b")  # not b's to give back
        assert not take_turn(session, 42, "b", minute)
        end_turn(session, 42, "a")
        assert take_turn(session, 42, "b", -minute), "given back"
    with sessions.begin() as session:
        assert take_turn(session, 42, "c", minute), "b died: its lease ran out"
    engine.dispose()
