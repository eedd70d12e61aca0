"""What several bot processes share through the database: hits per period, jobs run once, whose
turn a chat is."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import psycopg
from sqlalchemy import BigInteger, Integer, String, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from storage.base import Base, UtcDateTime

# PostgreSQL's channel on which a process says that a chat's turn is free again.
TURNS_CHANNEL = "chat_turns"


class RateCount(Base):
    """Hits of one user in one period of a rate limit, counted across bot processes.

    Kept for the current and the previous period only: the guard deletes older ones.
    """

    __tablename__ = "rate_counts"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    period: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hits: Mapped[int] = mapped_column(Integer)


class ChatTurn(Base):
    """The bot process handling a chat's update now: the chat's next update waits for its turn.

    A row lives while one update is handled; `until` frees a turn whose process died.
    """

    __tablename__ = "chat_turns"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    holder: Mapped[str] = mapped_column(String(32))
    until: Mapped[datetime] = mapped_column(UtcDateTime)


class JobRun(Base):
    """A periodic job's run for one period, claimed by the first process that gets there."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(32), primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())


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
    """Give the chat's turn back (unless the lease ran out and another process has it), and tell
    the processes waiting for it, on commit."""
    session.execute(delete(ChatTurn).where(ChatTurn.chat_id == chat_id, ChatTurn.holder == holder))
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_notify(TURNS_CHANNEL, str(chat_id))))


async def ended_turns(sessions: sessionmaker[Session]) -> AsyncIterator[int]:
    """The chats whose turn another process gave back, as PostgreSQL tells them (LISTEN)."""
    url = sessions.kw["bind"].url.set(drivername="postgresql")
    conninfo = url.render_as_string(hide_password=False)
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as connection:
        await connection.execute(f"LISTEN {TURNS_CHANNEL}")
        async for notice in connection.notifies():
            yield int(notice.payload)
