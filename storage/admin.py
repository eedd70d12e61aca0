"""Tables of the admin tool: its accounts, the audit log, training runs and event proposals."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

from storage.base import Base, UtcDateTime, enum_column


class Role(enum.StrEnum):
    """What an account may do."""

    ADMIN = "admin"
    MEDIATOR = "mediator"
    EDITOR = "editor"
    ASSOCIATION = "association"


class AdminUser(Base):
    """A person who logs in to the admin tool; only the argon2 hash of the password is kept."""

    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Where "send me a test" sends an announcement: set only by a link code sent from that chat.
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    # Carried in the session cookie: a cookie of an older generation no longer logs anyone in.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


def _end_sessions(target: AdminUser, value: object, old: object, _initiator: object) -> None:
    """A new password, role or activity ends every session of the account, whoever changed it."""
    if old not in (NO_VALUE, NEVER_SET) and value != old:
        target.session_generation = (target.session_generation or 0) + 1


for _attribute in (AdminUser.password_hash, AdminUser.role, AdminUser.active):
    event.listen(_attribute, "set", _end_sessions, active_history=True)


class ChatLinkCode(Base):
    """A one-time code that links the Telegram chat it is sent from to an account.

    Only its SHA-256 is kept: the code has enough randomness that no salt is needed.
    """

    __tablename__ = "chat_link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("admin_users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class AuditEntry(Base):
    """One change made through the tool: who, when, what, the row before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now(), index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(120), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class RunStatus(enum.StrEnum):
    """Where a training run is."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # its process stopped or died before the run ended


class TrainingRun(Base):
    """A retraining started from the tool, with its outcome and the tail of its log."""

    __tablename__ = "training_runs"
    # At most one running row, whatever the number of admin processes: the database refuses
    # a second one, so two starts at the same instant cannot both win.
    __table_args__ = (
        Index(
            "one_running_training",
            "status",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    started_by: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus))
    model: Mapped[str | None] = mapped_column(String(300))
    log: Mapped[str] = mapped_column(Text, default="")
    # The process that runs it (host, pid, a token of that start) and when it last said so.
    holder: Mapped[str] = mapped_column(String(200), default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ProposalStatus(enum.StrEnum):
    """An association's event waits for an editor's decision."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class EventProposal(Base):
    """An event an association proposed, kept apart until an editor approves it."""

    __tablename__ = "event_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposed_by: Mapped[str] = mapped_column(String(64))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    status: Mapped[ProposalStatus] = mapped_column(enum_column(ProposalStatus))
    # The event as the form gave it, in the seed schema (content.schema.EventDoc).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
