"""What several bot processes share through the database: hits per period, jobs run once."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from content.models import JobRun, RateCount


def _insert(
    session: Session, table: type[RateCount] | type[JobRun]
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
