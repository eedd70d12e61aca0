"""Due reminders become announcements with their delivery rows, sent by the broadcast sender.

Reusing the delivery engine rather than the bot's JobQueue: the rows are written before anything
is sent, in the same transaction that marks the reminder queued, so a reminder goes out once
through restarts (the JobQueue keeps its jobs in memory), with the same rate limits, 429 and
timeout handling, blocked-user clean-up and admin report as any announcement. One announcement
per event, and per permit expiry date, stage and province (`Announcement.key`): a wish made
later joins the rows of the same announcement, never a second one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from babel.dates import format_date
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from content.repository import ContentRepository
from dialogue import format as fmt
from shared.clock import ROME
from shared.i18n import locale, translations
from shared.vocabulary import LANGUAGES
from storage.content import Event
from storage.reminders import (
    STAGES,
    EventReminder,
    PermitReminder,
    deadline,
    event_reminder_time,
    stage_due,
)
from storage.subscriptions import Announcement, AnnouncementKind, AnnouncementStatus, Delivery
from storage.users import TELEGRAM, BotUser

CREATED_BY = "reminders"
PERMIT_FAQ = "permit_renewal"
PERMIT_CATEGORY = "residence_permit"


def event_text(event: Event, language: str, fallbacks: Sequence[str]) -> str:
    """The reminder of an event, with its date, place and description."""
    _ = translations(language).gettext
    chain = list(dict.fromkeys([language, *fallbacks]))
    heading = _("⏰ A reminder of the event you asked about:")
    return f"{heading}\n\n{fmt.event(event, chain)}"


def permit_text(
    content: ContentRepository,
    expires_on: date,
    province: str | None,
    language: str,
    fallbacks: Sequence[str],
) -> str:
    """The renewal reminder: the deadline, the steps (the FAQ) and the offices of the province."""
    _ = translations(language).gettext
    chain = list(dict.fromkeys([language, *fallbacks]))
    where = locale(language)
    parts = [
        _(
            "⏰ Your residence permit expires on {date}. Ask for its renewal by {deadline}, "
            "at least 60 days before it expires."
        ).format(
            date=format_date(expires_on, "long", locale=where),
            deadline=format_date(deadline(expires_on), "long", locale=where),
        )
    ]
    answer = content.faq_answer(PERMIT_FAQ, chain)
    if answer is not None:
        source = _("Source: {url}").format(url=answer.source_url)
        parts += [answer.question, answer.answer, source]
    if province is None:
        parts.append(_("Tell me your province with /area to see the offices near you."))
    else:
        offices = content.services(PERMIT_CATEGORY, province)
        parts += [fmt.service(row, chain) for row in offices]
    parts.append(_("Send /permit to change the date or to stop these reminders."))
    return "\n\n".join(parts)


def _outbox(
    session: Session,
    key: str,
    kind: AnnouncementKind,
    texts: dict[str, str],
    rows: dict[int, tuple[str, str | None]],
    now: datetime,
    event_id: int | None = None,
) -> int | None:
    """The announcement of `key` with a delivery row for each new recipient; its id if any."""
    announcement = session.scalar(select(Announcement).where(Announcement.key == key))
    if announcement is None:
        announcement = Announcement(
            kind=kind,
            key=key,
            event_id=event_id,
            texts=texts,
            send_at=now,
            status=AnnouncementStatus.SENDING,
            created_by=CREATED_BY,
        )
        session.add(announcement)
        session.flush()
    known = set(
        session.scalars(
            select(Delivery.chat_id).where(Delivery.announcement_id == announcement.id)
        )
    )
    new = [
        {"announcement_id": announcement.id, "chat_id": chat, "language": lang, "province": area}
        for chat, (lang, area) in rows.items()
        if chat not in known
    ]
    if not new:
        return None
    session.execute(insert(Delivery), new)
    announcement.status = AnnouncementStatus.SENDING
    return announcement.id


def _event_reminders(session: Session, now: datetime, fallbacks: Sequence[str]) -> list[int]:
    """Outboxes of events whose reminder time has come and that have not started."""
    rows = session.execute(
        select(Event, EventReminder.chat_id, BotUser.language, BotUser.province)
        .join(EventReminder, EventReminder.event_id == Event.id)
        .join(BotUser, BotUser.chat_id == EventReminder.chat_id)
        .where(Event.starts_at > now, Event.starts_at <= now + timedelta(days=2), TELEGRAM)
    ).all()
    wishes: dict[int, dict[int, tuple[str, str | None]]] = defaultdict(dict)
    events: dict[int, Event] = {}
    for event, chat_id, language, province in rows:
        if event_reminder_time(event.starts_at) <= now:
            events[event.id] = event
            wishes[event.id][chat_id] = (language, province)
    queued = []
    for event_id, recipients in wishes.items():
        event = events[event_id]
        texts = {lang: event_text(event, lang, fallbacks) for lang in LANGUAGES}
        kind = AnnouncementKind.EVENT_REMINDER
        found = _outbox(session, f"event:{event_id}", kind, texts, recipients, now, event_id)
        if found is not None:
            queued.append(found)
    return queued


def _permit_reminders(
    session: Session, content: ContentRepository, now: datetime, fallbacks: Sequence[str]
) -> list[int]:
    """Outboxes of permit reminders due today, one per expiry date, stage and province."""
    today = now.astimezone(ROME).date()
    rows = session.execute(
        select(PermitReminder, BotUser.language, BotUser.province)
        .join(BotUser, BotUser.chat_id == PermitReminder.chat_id)
        .where(PermitReminder.expires_on <= today + timedelta(days=max(STAGES)), TELEGRAM)
    ).all()
    groups: dict[tuple[date, int, str | None], dict[int, tuple[str, str | None]]]
    groups = defaultdict(dict)
    for reminder, language, province in rows:
        stage = stage_due(reminder.expires_on, today)
        if stage is None or (
            reminder.reminded_days is not None and stage >= reminder.reminded_days
        ):
            continue
        reminder.reminded_days = stage  # in the transaction that writes its delivery row
        groups[(reminder.expires_on, stage, province)][reminder.chat_id] = (language, province)
    queued = []
    for (expires_on, stage, province), recipients in groups.items():
        texts = {
            lang: permit_text(content, expires_on, province, lang, fallbacks)
            for lang in {language for language, _area in recipients.values()}
        }
        key = f"permit:{expires_on.isoformat()}:{stage}:{province or '-'}"
        kind = AnnouncementKind.PERMIT_REMINDER
        existing = session.scalar(select(Announcement).where(Announcement.key == key))
        if existing is not None:  # a later wish in another language joins the same copy
            existing.texts = {**existing.texts, **texts}
        found = _outbox(session, key, kind, texts, recipients, now)
        if found is not None:
            queued.append(found)
    return queued


def queue_due(
    sessions: sessionmaker[Session], now: datetime, fallbacks: Sequence[str]
) -> list[int]:
    """Write the delivery rows of every reminder due at `now`; the announcements to send."""
    content = ContentRepository(sessions)
    with sessions.begin() as session:
        return _event_reminders(session, now, fallbacks) + _permit_reminders(
            session, content, now, fallbacks
        )
