"""What several bot processes share through the database: hits per period, jobs run once, whose
turn a chat is."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from content.models import ChatTurn, JobRun, RateCount


def shared(sessions: sessionmaker[Session]) -> bool:
    """Whether several processes may share this database (PostgreSQL; the SQLite file is one's)."""
    with sessions() as session:
        return session.get_bind().dialect.name == "postgresql"


def _insert(
    session: Session, table: type[RateCount] | type[JobRun] | type[ChatTurn]
) -> postgresql.Insert | sqlite.Insert:
    """INSERT in the session's dialect: both speak ON CONFLICT."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def count_hit(session: Session, name: str, key: int, period: int) -> int:
    """Add one hit of `key` in `period`, atomically; the hits counted so far, this one included."""
    statement = (
        _insert(session, RateCount)
        .values(name=name, key=key, period=period, hits=1)
        .on_conflict_do_update(
            index_elements=["name", "key", "period"], set_={"hits": RateCount.hits + 1}
        )
        .returning(RateCount.hits)
    )
    return int(session.execute(statement).scalar_one())


def forget_periods(session: Session, name: str, before: int) -> None:
    """Delete the counts of periods before `before`: they decide nothing any more."""
    session.execute(delete(RateCount).where(RateCount.name == name, RateCount.period < before))


def claim(session: Session, job: str, period: str) -> bool:
    """Whether this process is the first to run `job` for `period` (the others skip it)."""
    statement = (
        _insert(session, JobRun)
        .values(job=job, period=period)
        .on_conflict_do_nothing()
        .returning(JobRun.job)
    )
    return session.execute(statement).scalar() is not None


def take_turn(session: Session, chat_id: int, holder: str, lease: timedelta) -> bool:
    """Whether `holder` now has the chat's turn: it was free, its holder's lease ran out, or it
    was `holder`'s already (a process handles one update of a chat at a time, so a row of its own
    is one it could not give back)."""
    until = func.now() + lease  # the database's clock, the same for every process
    statement = (
        _insert(session, ChatTurn)
        .values(chat_id=chat_id, holder=holder, until=until)
        .on_conflict_do_update(
            index_elements=["chat_id"],
            set_={"holder": holder, "until": until},
            where=or_(ChatTurn.until < func.now(), ChatTurn.holder == holder),
        )
        .returning(ChatTurn.holder)
    )
    return session.execute(statement).scalar() == holder


def end_turn(session: Session, chat_id: int, holder: str) -> None:
    """Give the chat's turn back (unless the lease ran out and another process has it)."""
    session.execute(delete(ChatTurn).where(ChatTurn.chat_id == chat_id, ChatTurn.holder == holder))
