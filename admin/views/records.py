"""Create, edit and verify services, courses and events; associations' event proposals."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin import audit
from admin.auth import Endpoint, requires
from admin.records import (
    EVENTS,
    KINDS,
    SERVICES,
    Kind,
    event_row,
    slug_taken,
    validate,
    validate_correction,
)
from admin.roles import CONTENT, PROPOSE
from admin.roles import EVENTS as EVENT_ROLES
from admin.templating import flash, gettext, page
from content import facts as office_facts
from content import texts
from content.staleness import is_stale
from content.texts import SOURCE_LANGUAGE
from dialogue.labels import category_label
from shared.clock import ROME, today
from shared.i18n import RTL
from storage.admin import EventProposal, ProposalStatus, Role
from storage.content import FactCheck

STALE_KINDS = frozenset({"services", "courses"})  # facts that age; events are over in days
# The facts a person checks against a row's source page, shown beside it on the row's page.
FACTS = {"services": office_facts.FACTS, "courses": ("place", "schedule")}


@dataclass(frozen=True)
class Fact:
    """One fact as the row's page shows it: its value, the page that states it, its last check
    (an office's facts are checked one by one; a course's with the whole course)."""

    name: str
    label: str
    value: str | None
    source: office_facts.Source
    check: FactCheck | None


@dataclass(frozen=True)
class Correction:
    """A refused "wrong" of one fact: what the person typed and what to say about it."""

    fact: str
    values: dict[str, str]
    errors: dict[str, str]


def _facts(kind: Kind, row: Any) -> list[Fact]:
    if kind is not SERVICES:
        page = office_facts.Source(row.source_url, row.source_date)
        return [
            Fact(f.name, f.label, getattr(row, f.name), page, None)
            for f in kind.fields
            if f.name in FACTS[kind.key]
        ]
    checks = office_facts.latest(row)
    labels = {f.name: f.label for f in kind.fields}
    return [
        Fact(
            name,
            labels[name],
            getattr(row, name),
            office_facts.source(row, name),
            checks.get(name),
        )
        for name in office_facts.FACTS
    ]


def _form(form: FormData) -> dict[str, str]:
    return {key: str(value) for key, value in form.items()}


def _row(session: Any, kind: Kind, request: Request) -> Any:
    row = session.get(kind.model, int(request.path_params["id"]))
    if row is None:
        raise HTTPException(404)
    return row


def _language(request: Request, asked: str) -> str:
    """The language tab asked for; Italian, where every text starts, when none or unknown."""
    return asked if asked in request.app.state.settings.languages else SOURCE_LANGUAGE


def _tab(request: Request, kind: Kind, errors: dict[str, str], asked: str) -> str:
    """The tab to show again after a refused save: the first language with a wrong text."""
    languages = request.app.state.settings.languages
    wrong = (lang for lang in languages for part in kind.texts if f"{part.name}_{lang}" in errors)
    return next(wrong, asked)


def _form_page(
    request: Request,
    kind: Kind,
    action: str,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    row: Any = None,
    language: str = SOURCE_LANGUAGE,
    proposal: bool = False,
    correction: Correction | None = None,
) -> Response:
    days = request.app.state.settings.digest.stale_after_days
    stale = row is not None and kind.key in STALE_KINDS and _stale(row, days)
    facts, checked = [], None
    if row is not None and kind.key in FACTS:
        facts = _facts(kind, row)
        with request.app.state.sessions() as session:
            checked = audit.last(session, "verify", f"{kind.key}/{row.slug}")
    languages = request.app.state.settings.languages
    statuses = texts.of_event(row if kind.texts else None, languages)
    return page(
        request,
        "record.html",
        status_code=400 if errors or correction else 200,
        kind=kind,
        action=action,
        values=values,
        errors=errors or {},
        row=row,
        stale=stale,
        days=days,
        facts=facts,
        per_fact=kind is SERVICES,
        correction=correction,
        checked=checked,
        category_label=category_label,
        language=language,
        text_languages=languages,
        text_statuses=statuses,
        status_choices=() if proposal else texts.STATUSES,
        source_language=SOURCE_LANGUAGE,
        rtl=language in RTL,
    )


def _stamp(kind: Kind, row: Any, written: dict[str, Any]) -> None:
    """Note which languages' texts this save wrote (`written`: the texts before it)."""
    if kind.texts:
        row.text_changed_at = texts.touch(
            row.text_changed_at or {}, written, row.translations, datetime.now(UTC)
        )


def _stale(row: Any, days: int) -> bool:
    """Whether a service or course is due to be verified again."""
    return is_stale(row.verified_on, today(), days)


def _log(session: Any, request: Request, action: str, target: str, before: Any, row: Any) -> None:
    """Audit a change to a row, with the row as it is now."""
    after = audit.columns(row) if row is not None else None
    audit.record(session, request.state.user.username, action, target, before, after)


def record_routes(kind: Kind, roles: Collection[Role]) -> list[Route]:
    """List, create, edit and verify-today routes of one kind, admitting `roles`."""
    base = f"/{kind.key}"

    @requires(roles)
    async def listing(request: Request) -> Response:
        """All rows, with whether a person verified them."""
        with request.app.state.sessions() as session:
            rows = list(session.scalars(select(kind.model).order_by(kind.model.slug)))
        days = request.app.state.settings.digest.stale_after_days
        ages = kind.key in STALE_KINDS
        stale = {row.id for row in rows if ages and _stale(row, days)}
        return page(request, "records.html", kind=kind, rows=rows, stale=stale, days=days)

    @requires(roles)
    async def new(request: Request) -> Response:
        """An empty form."""
        return _form_page(request, kind, f"{base}/new", {})

    @requires(roles)
    async def create(request: Request) -> Response:
        """Validate and add a row."""
        form = _form(await request.form())
        with request.app.state.sessions.begin() as session:
            outcome = validate(kind, form, {}, session, None)
            if outcome.doc is None:
                shown = _tab(request, kind, outcome.errors, SOURCE_LANGUAGE)
                return _form_page(request, kind, f"{base}/new", form, outcome.errors, None, shown)
            row = kind.model(**kind.to_row(outcome.doc, session))
            _stamp(kind, row, {})
            session.add(row)
            session.flush()
            after = audit.columns(row)
            audit.record(
                session,
                request.state.user.username,
                "create",
                f"{kind.key}/{row.slug}",
                None,
                after,
            )
        _ = gettext(request)
        flash(request, _("Saved."))
        return RedirectResponse(base, status_code=303)

    @requires(roles)
    async def edit(request: Request) -> Response:
        """The form filled with a row, one language's texts open."""
        language = _language(request, request.query_params.get("lang", ""))
        with request.app.state.sessions() as session:
            row = _row(session, kind, request)
            values = kind.form_values(row, session)
        return _form_page(request, kind, f"{base}/{row.id}", values, row=row, language=language)

    @requires(roles)
    async def update(request: Request) -> Response:
        """Validate and save changes to a row."""
        form = _form(await request.form())
        language = _language(request, form.get("lang", ""))
        with request.app.state.sessions.begin() as session:
            row = _row(session, kind, request)
            outcome = validate(kind, form, kind.to_doc(row, session), session, row.id)
            if outcome.doc is None:
                shown = _tab(request, kind, outcome.errors, language)
                action = f"{base}/{row.id}"
                return _form_page(request, kind, action, form, outcome.errors, row, shown)
            before = audit.columns(row)
            written = dict(row.translations) if kind.texts else {}
            for key, value in kind.to_row(outcome.doc, session).items():
                setattr(row, key, value)
            _stamp(kind, row, written)
            session.flush()
            _log(session, request, "edit", f"{kind.key}/{row.slug}", before, row)
            # Texts are written a language at a time: back to the same tab.
            back = f"{base}/{row.id}?lang={language}" if kind.texts else base
        _ = gettext(request)
        flash(request, _("Saved."))
        return RedirectResponse(back, status_code=303)

    @requires(roles)
    async def verify(request: Request) -> Response:
        """A person checked this row against its source today; back to where they did it."""
        from_row = (await request.form()).get("back") == "row"
        with request.app.state.sessions.begin() as session:
            row = _row(session, kind, request)
            before = audit.columns(row)
            if kind is SERVICES:  # each fact it shows, against the page that states it
                now, user = datetime.now(UTC), request.state.user.username
                for fact in office_facts.FACTS:
                    if getattr(row, fact):
                        office_facts.check(row, fact, user, now, None, None)
            row.verified_on = today()
            session.flush()
            _log(session, request, "verify", f"{kind.key}/{row.slug}", before, row)
            back = f"{base}/{row.id}" if from_row else base
        _ = gettext(request)
        flash(request, _("Marked as verified today."))
        return RedirectResponse(back, status_code=303)

    def route(path: str, endpoint: Endpoint, method: str) -> Route:
        return Route(path, endpoint, methods=[method], name=f"{kind.key}.{endpoint.__name__}")

    return [
        route(base, listing, "GET"),
        route(f"{base}/new", new, "GET"),
        route(f"{base}/new", create, "POST"),
        route(f"{base}/{{id:int}}", edit, "GET"),
        route(f"{base}/{{id:int}}", update, "POST"),
        route(f"{base}/{{id:int}}/verify", verify, "POST"),
    ]


def _fact(request: Request) -> str:
    fact: str = request.path_params["fact"]
    if fact not in office_facts.FACTS:
        raise HTTPException(404)
    return fact


def _fact_state(row: Any, fact: str) -> dict[str, Any]:
    """A fact as the audit log keeps it: its value, its page and the office's verification."""
    page = office_facts.source(row, fact)
    return {
        "fact": fact,
        "value": getattr(row, fact),
        "source_url": page.url,
        "source_date": page.date,
        "verified_on": row.verified_on,
    }


def _check(
    session: Any,
    request: Request,
    row: Any,
    fact: str,
    right_value: str | None,
    page: office_facts.Source | None,
) -> None:
    """Record a person's check of one fact (see content.facts.check) and audit it."""
    before = _fact_state(row, fact)
    user = request.state.user.username
    made = office_facts.check(row, fact, user, datetime.now(UTC), right_value, page)
    session.flush()
    action = "check_fact" if made.right else "correct_fact"
    audit.record(session, user, action, f"services/{row.slug}", before, _fact_state(row, fact))


@requires(CONTENT)
async def check_fact(request: Request) -> Response:
    """A person found one fact of an office right on the page that states it, today."""
    fact = _fact(request)
    with request.app.state.sessions.begin() as session:
        row = _row(session, SERVICES, request)
        _check(session, request, row, fact, None, None)
    _ = gettext(request)
    flash(request, _("Marked as checked today."))
    return RedirectResponse(f"/services/{row.id}", status_code=303)


@requires(CONTENT)
async def correct_fact(request: Request) -> Response:
    """A person found one fact of an office wrong: from now on the office shows the right value
    they give, with the official page that states it."""
    fact = _fact(request)
    form = _form(await request.form())
    with request.app.state.sessions.begin() as session:
        row = _row(session, SERVICES, request)
        outcome = validate_correction(row, fact, form, session)
        if outcome.doc is None:
            values = SERVICES.form_values(row, session)
            refused = Correction(fact, form, outcome.errors)
            return _form_page(
                request, SERVICES, f"/services/{row.id}", values, row=row, correction=refused
            )
        doc = outcome.doc
        page = office_facts.Source(getattr(doc, "source_url"), getattr(doc, "source_date"))  # noqa: B009
        _check(session, request, row, fact, getattr(doc, fact), page)
    _ = gettext(request)
    flash(request, _("Saved: the bot shows the right value, with its page, from now on."))
    return RedirectResponse(f"/services/{row.id}", status_code=303)


@requires(PROPOSE)
async def proposal_form(request: Request) -> Response:
    """An association's event form: the Italian text, the editor publishes it on approval."""
    return _form_page(request, EVENTS, "/proposals/new", {}, proposal=True)


@requires(PROPOSE)
async def propose(request: Request) -> Response:
    """Keep a valid event proposal for an editor to decide on."""
    form = _form(await request.form())
    with request.app.state.sessions.begin() as session:
        outcome = validate(EVENTS, form, {}, session, None)
        if outcome.doc is None:
            shown = _tab(request, EVENTS, outcome.errors, SOURCE_LANGUAGE)
            return _form_page(
                request, EVENTS, "/proposals/new", form, outcome.errors, None, shown, True
            )
        proposal = EventProposal(
            proposed_by=request.state.user.username,
            status=ProposalStatus.PROPOSED,
            payload=outcome.doc.model_dump(mode="json"),
        )
        session.add(proposal)
        session.flush()
        audit.record(
            session,
            request.state.user.username,
            "propose",
            f"proposals/{proposal.id}",
            None,
            proposal.payload,
        )
    _ = gettext(request)
    flash(request, _("Thank you: an editor will review the event."))
    return RedirectResponse("/proposals/new", status_code=303)


@requires(EVENT_ROLES)
async def proposals(request: Request) -> Response:
    """Proposals waiting for a decision, newest first."""
    with request.app.state.sessions() as session:
        waiting = list(
            session.scalars(
                select(EventProposal)
                .where(EventProposal.status == ProposalStatus.PROPOSED)
                .order_by(EventProposal.id.desc())
            )
        )
    return page(request, "proposals.html", proposals=waiting, rome=ROME)


@requires(EVENT_ROLES)
async def decide(request: Request) -> Response:
    """Approve (the event is published) or reject a proposal."""
    if request.path_params["decision"] not in ("approve", "reject"):
        raise HTTPException(404)
    approve = request.path_params["decision"] == "approve"
    _ = gettext(request)
    with request.app.state.sessions.begin() as session:
        proposal = session.get(EventProposal, int(request.path_params["id"]))
        if proposal is None or proposal.status is not ProposalStatus.PROPOSED:
            raise HTTPException(404)
        before = audit.columns(proposal)
        if approve:
            doc = EVENTS.schema.model_validate(proposal.payload)
            if slug_taken(session, EVENTS, proposal.payload["slug"], None):
                flash(
                    request, _("This event cannot be published: its identifier is taken."), "error"
                )
                return RedirectResponse("/proposals", status_code=303)
            event = EVENTS.model(**event_row(doc, session))
            session.add(event)
            session.flush()
            proposal.event_id = event.id
        proposal.status = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
        session.flush()
        _log(
            session,
            request,
            request.path_params["decision"],
            f"proposals/{proposal.id}",
            before,
            proposal,
        )
    flash(request, _("Event published.") if approve else _("Proposal rejected."))
    return RedirectResponse("/proposals", status_code=303)


ROUTES = [
    *record_routes(KINDS["services"], CONTENT),
    *record_routes(KINDS["courses"], CONTENT),
    Route("/services/{id:int}/facts/{fact:str}/check", check_fact, methods=["POST"]),
    Route("/services/{id:int}/facts/{fact:str}/correct", correct_fact, methods=["POST"]),
    *record_routes(KINDS["events"], EVENT_ROLES),
    Route("/proposals/new", proposal_form, methods=["GET"]),
    Route("/proposals/new", propose, methods=["POST"]),
    Route("/proposals", proposals, methods=["GET"]),
    Route("/proposals/{id:int}/{decision:str}", decide, methods=["POST"]),
]
