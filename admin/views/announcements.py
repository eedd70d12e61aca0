"""Announcements: write per language, choose the audience, preview, test-send, schedule, cancel,
and follow the sending with its report."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin import announcements as logic
from admin import audit
from admin.auth import requires
from admin.roles import EVENTS
from admin.templating import flash, gettext, page
from broadcast import messages
from broadcast.sender import Sender, make_bot
from content import texts
from content.texts import SOURCE_LANGUAGE
from render.telegram import render
from shared.i18n import RTL
from shared.settings import Settings
from shared.vocabulary import PROVINCE_NAMES
from storage.admin import AdminUser
from storage.subscriptions import Announcement, AnnouncementStatus, DeliveryState, Topic


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _row(session: Session, request: Request, lock: bool = False) -> Announcement:
    """The announcement of the path; `lock` holds it against a sender starting meanwhile."""
    row = session.get(Announcement, int(request.path_params["id"]), with_for_update=lock)
    if row is None:
        raise HTTPException(404)
    return row


def _back(announcement_id: int, language: str = "") -> Response:
    """To the announcement's page, on the language tab the editor was writing in."""
    tab = f"?lang={language}" if language else ""
    return RedirectResponse(f"/announcements/{announcement_id}{tab}", status_code=303)


def _tab(form: Any) -> str:
    return str(form.get("lang", ""))


def _form_page(
    request: Request, session: Session, row: Announcement | None, **extra: Any
) -> Response:
    settings = _settings(request)
    asked = request.query_params.get("lang", "")
    language = asked if asked in settings.languages else SOURCE_LANGUAGE
    statuses = texts.of_announcement(row, settings.languages)
    previews = {}
    report = None
    if row is not None:
        copies = messages.texts(session, row, settings.fallback_languages, everything=True)
        previews = {lang: [m.text for m in render(reply)] for lang, reply in copies.items()}
        report = logic.report(session, row.id)
    return page(
        request,
        "announcement.html",
        row=row,
        editable=row is None or row.status in logic.EDITABLE,
        text_languages=settings.languages,
        language=language,
        text_statuses=statuses,
        status_choices=texts.STATUSES,
        provinces=PROVINCE_NAMES,
        topics=[topic.value for topic in Topic],
        events=logic.upcoming_events(session),
        previews=previews,
        rtl=RTL,
        report=report,
        states=logic.STATES,
        send_at=logic.local_input(row.send_at if row else None),
        **extra,
    )


@requires(EVENTS)
async def listing(request: Request) -> Response:
    """Every announcement and reminder batch, newest first, with its progress."""
    with request.app.state.sessions() as session:
        rows = list(session.scalars(select(Announcement).order_by(Announcement.id.desc())))
        reports = {row.id: logic.report(session, row.id) for row in rows}
    return page(request, "announcements.html", rows=rows, reports=reports)


@requires(EVENTS)
async def new(request: Request) -> Response:
    """An empty form."""
    with request.app.state.sessions() as session:
        return _form_page(request, session, None)


@requires(EVENTS)
async def create(request: Request) -> Response:
    """Keep a new announcement as a draft."""
    form = await request.form()
    with request.app.state.sessions.begin() as session:
        draft = logic.read_form(form, _settings(request).languages, session)
        row = Announcement(
            send_at=datetime.now(UTC),
            status=AnnouncementStatus.DRAFT,
            created_by=request.state.user.username,
        )
        logic.apply(row, draft)
        session.add(row)
        session.flush()
        audit.record(
            session,
            request.state.user.username,
            "announcement.create",
            f"announcements/{row.id}",
            None,
            audit.columns(row),
        )
        created = row.id
    flash(request, gettext(request)("Saved."))
    return _back(created, _tab(form))


@requires(EVENTS)
async def edit(request: Request) -> Response:
    """The form, the preview per language, and the progress and report once sending."""
    with request.app.state.sessions() as session:
        return _form_page(request, session, _row(session, request))


def _change(
    request: Request, action: str, row: Announcement, session: Session, before: Any
) -> None:
    audit.record(
        session,
        request.state.user.username,
        action,
        f"announcements/{row.id}",
        before,
        audit.columns(row),
    )


@requires(EVENTS)
async def save(request: Request) -> Response:
    """Save the texts and audience while nothing was sent."""
    _ = gettext(request)
    form = await request.form()
    with request.app.state.sessions.begin() as session:
        row = _row(session, request, lock=True)
        if row.status not in logic.EDITABLE:
            flash(
                request,
                _("This announcement is being sent or is over: it can no longer change."),
                "error",
            )
            return _back(row.id)
        before = audit.columns(row)
        logic.apply(row, logic.read_form(form, _settings(request).languages, session, row))
        session.flush()
        _change(request, "announcement.edit", row, session, before)
    flash(request, _("Saved."))
    return _back(row.id, _tab(form))


@requires(EVENTS)
async def schedule(request: Request) -> Response:
    """Send now, or at a time in Europe/Rome; the scheduler service picks it up."""
    _ = gettext(request)
    form = await request.form()
    with request.app.state.sessions.begin() as session:
        row = _row(session, request, lock=True)
        if row.status not in logic.EDITABLE:
            raise HTTPException(409)
        problem = logic.schedule_problem(row, messages.sendable(row))
        now = datetime.now(UTC)
        when = now if form.get("now") else logic.parse_local(str(form.get("send_at", "")))
        if problem is None and (when is None or when < now):
            problem = logic.BAD_TIME
        if problem is not None or when is None:
            flash(request, _(problem or logic.BAD_TIME), "error")
            return _back(row.id)
        before = audit.columns(row)
        row.send_at, row.status = when, AnnouncementStatus.SCHEDULED
        session.flush()
        _change(request, "announcement.schedule", row, session, before)
    flash(request, _("Scheduled: it goes out at the chosen time (within a minute)."))
    return _back(row.id)


@requires(EVENTS)
async def cancel(request: Request) -> Response:
    """Cancel an announcement that has not started."""
    _ = gettext(request)
    with request.app.state.sessions.begin() as session:
        row = _row(session, request)
        before = audit.columns(row)
        if not logic.cancel(session, row.id):
            flash(request, _("Too late to cancel: sending has started or is over."), "error")
            return _back(row.id)
        session.refresh(row)
        _change(request, "announcement.cancel", row, session, before)
    flash(request, _("Cancelled: nothing will be sent."))
    return _back(row.id)


@requires(EVENTS)
async def test_send(request: Request) -> Response:
    """One language's copy to the chat linked to the account (drafts too), through the real
    sender: a few an hour, each in the audit log with the chat it went to."""
    _ = gettext(request)
    settings = _settings(request)
    language = str((await request.form()).get("language", ""))
    with request.app.state.sessions() as session:
        row = _row(session, request)
        account = session.get_one(AdminUser, request.state.user.id)
        chat_id = account.telegram_chat_id
        copies = messages.texts(session, row, settings.fallback_languages, everything=True)
    if chat_id is None:
        flash(request, _("Link your Telegram chat in your profile first."), "error")
        return _back(row.id)
    if language not in copies or not settings.telegram_bot_token:
        flash(request, _("Nothing to send in this language."), "error")
        return _back(row.id)
    if not request.app.state.test_limit.take(account.id):
        flash(request, _("Too many tests in the last hour: wait a while and try again."), "error")
        return _back(row.id)
    async with make_bot(settings) as bot:
        sender = Sender(
            request.app.state.sessions, bot, settings.broadcast, settings.fallback_languages
        )
        state, reason = await sender.test_send(chat_id, render(copies[language]))
    with request.app.state.sessions.begin() as session:
        audit.record(
            session,
            request.state.user.username,
            "announcement.test",
            f"announcements/{row.id}",
            None,
            {"language": language, "chat_id": chat_id, "outcome": state.value},
        )
    if state is DeliveryState.SENT:
        flash(request, _("Test sent to your Telegram chat."))
    else:
        flash(request, _("The test was not delivered: {reason}").format(reason=reason), "error")
    return _back(row.id)


ROUTES = [
    Route("/announcements", listing, methods=["GET"]),
    Route("/announcements/new", new, methods=["GET"]),
    Route("/announcements/new", create, methods=["POST"]),
    Route("/announcements/{id:int}", edit, methods=["GET"]),
    Route("/announcements/{id:int}", save, methods=["POST"]),
    Route("/announcements/{id:int}/schedule", schedule, methods=["POST"]),
    Route("/announcements/{id:int}/test", test_send, methods=["POST"]),
    Route("/announcements/{id:int}/cancel", cancel, methods=["POST"]),
]
