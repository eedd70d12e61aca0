"""The delivery rows of an announcement: written before anything is sent, then moved one by one.

A row is claimed (`uncertain`, "in flight") in its own commit before its request goes out, so a
sender killed in the middle leaves at most the rows it was sending as `uncertain`, never a
`pending` row that had already gone out: a restarted sender resends nothing that may have arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from broadcast.messages import sendable
from storage.subscriptions import (
    Announcement,
    AnnouncementStatus,
    Delivery,
    DeliveryState,
    Subscription,
)
from storage.users import TELEGRAM, BotUser

IN_FLIGHT = "in flight"  # the reason of a claimed row until Telegram answers


@dataclass(frozen=True)
class Pending:
    """A row still to send: whom, and in which language's text."""

    id: int
    chat_id: int
    language: str


def recipients(session: Session, announcement: Announcement) -> dict[int, tuple[str, str | None]]:
    """Each subscriber the announcement reaches: the language of the text they get, their area.

    A subscription's province, else the user's, must be among the announcement's provinces; a
    subscriber with no area at all gets only announcements for the whole region.
    """
    rows = session.execute(
        select(BotUser.chat_id, BotUser.language, BotUser.province, Subscription.province)
        .join(Subscription, Subscription.chat_id == BotUser.chat_id)
        .where(Subscription.topic.in_(announcement.topics), TELEGRAM)
    )
    fallback = announcement.fallback_language
    texts = sendable(announcement)
    chosen: dict[int, tuple[str, str | None]] = {}
    for chat_id, language, user_province, province in rows:
        area = province or user_province
        if announcement.languages and language not in announcement.languages:
            continue
        if announcement.provinces and area not in announcement.provinces:
            continue
        if language in texts:
            chosen[chat_id] = (language, area)
        elif fallback is not None and fallback in texts:
            chosen[chat_id] = (fallback, area)
    return chosen


def open_outbox(session: Session, announcement_id: int) -> bool:
    """Write the rows of a scheduled announcement once; True when it is (now) being sent."""
    announcement = session.get(Announcement, announcement_id, with_for_update=True)
    if announcement is None:
        return False
    if announcement.status is AnnouncementStatus.SCHEDULED:
        rows = [
            {
                "announcement_id": announcement_id,
                "chat_id": chat_id,
                "language": language,
                "province": province,
            }
            for chat_id, (language, province) in recipients(session, announcement).items()
        ]
        if rows:
            session.execute(insert(Delivery), rows)
        announcement.status = AnnouncementStatus.SENDING
    return announcement.status is AnnouncementStatus.SENDING


def pending(session: Session, announcement_id: int) -> list[Pending]:
    """The rows a (re)started sender still has to send, in the order they were written."""
    rows = session.execute(
        select(Delivery.id, Delivery.chat_id, Delivery.language)
        .where(Delivery.announcement_id == announcement_id)
        .where(Delivery.state == DeliveryState.PENDING)
        .order_by(Delivery.id)
    )
    return [Pending(*row) for row in rows]


def claim(session: Session, delivery_id: int) -> bool:
    """Mark a pending row in flight before its request goes out; False if it was not pending."""
    result = session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.state == DeliveryState.PENDING)
        .values(state=DeliveryState.UNCERTAIN, reason=IN_FLIGHT, attempts=Delivery.attempts + 1)
    )
    return bool(getattr(result, "rowcount", 0))


def settle(
    session: Session,
    delivery_id: int,
    state: DeliveryState,
    reason: str | None = None,
    sent_at: datetime | None = None,
) -> None:
    """Record what Telegram answered (`pending` again when the message surely did not go out)."""
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(state=state, reason=reason and reason[:200], sent_at=sent_at)
    )


def unsubscribe(session: Session, chat_id: int) -> None:
    """A user who blocked the bot wants nothing more from it."""
    session.execute(delete(Subscription).where(Subscription.chat_id == chat_id))


def finish(session: Session, announcement_id: int) -> None:
    """Close an announcement once no row is pending any more."""
    if not pending(session, announcement_id):
        session.execute(
            update(Announcement)
            .where(Announcement.id == announcement_id)
            .values(status=AnnouncementStatus.DONE)
        )


def counts(session: Session, announcement_id: int) -> dict[str, int]:
    """How many rows are in each state (every state named, zero included)."""
    rows = session.execute(
        select(Delivery.state, func.count())
        .where(Delivery.announcement_id == announcement_id)
        .group_by(Delivery.state)
    )
    found = {DeliveryState(state).value: int(number) for state, number in rows}
    return {state.value: found.get(state.value, 0) for state in DeliveryState}


def due(session: Session, now: datetime, grace: timedelta) -> list[int]:
    """Announcements to send now: due at most `grace` ago, or interrupted while sending."""
    rows = session.scalars(
        select(Announcement.id)
        .where(
            (Announcement.status == AnnouncementStatus.SENDING)
            | (
                (Announcement.status == AnnouncementStatus.SCHEDULED)
                & (Announcement.send_at <= now)
                & (Announcement.send_at >= now - grace)
            )
        )
        .order_by(Announcement.send_at)
    )
    return list(rows)
