"""FAQ editor (a tab per language, preview, publish, versions) and the coverage matrix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import audit, faq_search, faqs
from admin import coverage as figures
from admin.auth import requires
from admin.roles import CONTENT, EVENTS
from admin.templating import flash, gettext, page
from admin.templating import language as interface_language
from content.repository import Desk, latest_translations
from content.schema import DESK_DOCUMENTS, DESK_NEED, DeskDoc
from content.text import SHORT_LINES, SHORT_WORDS, fits_first_message, word_count
from content.texts import SOURCE_LANGUAGE
from dialogue.desk import card_text
from dialogue.replies import Reply
from render.telegram import render
from shared.i18n import RTL
from shared.i18n import translations as bot_translations
from shared.vocabulary import CATEGORIES
from storage.content import Faq, FaqTranslation, TranslationStatus

EDITABLE_STATUSES = (TranslationStatus.DRAFT, TranslationStatus.REVIEWED)


def _languages(request: Request) -> list[str]:
    return list(request.app.state.settings.languages)


def _faq(session: Session, request: Request) -> Faq:
    faq = faqs.load_faq(session, request.path_params["slug"])
    if faq is None:
        raise HTTPException(404)
    return faq


def _language(request: Request, value: str) -> str:
    if value not in _languages(request):
        raise HTTPException(404)
    return value


def preview(faq: Faq, language: str) -> list[str]:
    """The newest version as Telegram will show it: HTML of each message, escaped by the bot."""
    latest = latest_translations(faq)
    current = latest.get(language)
    if current is None:
        return []
    # The bot's own catalog: the preview says "Source" exactly as the bot will.
    bot_text = bot_translations(language).gettext
    source = bot_text("Source: {url}").format(url=faq.source_url)
    details = "\n\n".join([current.answer, source])
    # Users see the short text first and the rest behind "More details"; without one, all.
    texts = (
        [f"{current.question}\n\n{current.short}", details]
        if current.short
        else [f"{current.question}\n\n{details}"]
    )
    # The desk card as the bot sends it, without the office (it depends on the user's province).
    original = latest.get(SOURCE_LANGUAGE)
    if original is not None and (italian := Desk.read(original.desk)) is not None:
        texts.append(card_text(italian, Desk.read(current.desk), language))
    return [message.text for text in texts for message in render(Reply(text, language))]


def _found(request: Request) -> dict[str, Any]:
    """The FAQs the filter form asks for, and what the form and the table need to show them."""
    languages = _languages(request)
    query = faq_search.Query.read(request.query_params, languages)
    with request.app.state.sessions() as session:
        rows = faq_search.find(session, query, languages, interface_language(request))
    return {
        "rows": rows,
        "query": query,
        "faq_languages": [query.language] if query.language else languages,
        "all_languages": languages,
        "statuses": faq_search.STATUSES,
        "categories": CATEGORIES,
    }


@requires(CONTENT)
async def faq_list(request: Request) -> Response:
    """The FAQs found, by their question in the interface language, with each status."""
    return page(request, "faqs.html", **_found(request))


@requires(CONTENT)
async def faq_editor(request: Request) -> Response:
    """One FAQ, one language tab open: the form, the Italian source, preview and history."""
    languages = _languages(request)
    language = _language(request, request.query_params.get("lang", SOURCE_LANGUAGE))
    with request.app.state.sessions() as session:
        faq = _faq(session, request)
        latest = latest_translations(faq)
        history = faqs.versions(faq, language)
        diffs = {newer.version: faqs.diff(older, newer) for newer, older in pairwise(history)}
        return page(
            request,
            "faq.html",
            faq=faq,
            title=faq_search.title(faq, interface_language(request)),
            language=language,
            faq_languages=languages,
            statuses={lang: faqs.shown_status(faq, lang) for lang in languages},
            current=latest.get(language),
            source=latest.get(SOURCE_LANGUAGE),
            history=history,
            diffs=diffs,
            preview=preview(faq, language),
            rtl=language in RTL,
            editable_statuses=EDITABLE_STATUSES,
            short_words=SHORT_WORDS,
            short_lines=SHORT_LINES,
        )


def _editor_url(slug: str, language: str) -> str:
    return f"/faqs/{slug}?lang={language}"


def _change(
    request: Request, action: str, change: Callable[[Session, Faq, str], FaqTranslation | None]
) -> int | None:
    """Apply a change to one language of an FAQ and log it; the version it left, if any."""
    language = _language(request, request.path_params["lang"])
    with request.app.state.sessions.begin() as session:
        faq = _faq(session, request)
        before = faqs.snapshot(latest_translations(faq).get(language))
        changed = change(session, faq, language)
        if changed is None:
            return None
        audit.record(
            session,
            request.state.user.username,
            action,
            f"faq/{faq.slug}/{language}",
            before,
            faqs.snapshot(changed),
        )
        return changed.version


def _back(request: Request) -> Response:
    path = request.path_params
    return RedirectResponse(_editor_url(path["slug"], path["lang"]), status_code=303)


@requires(CONTENT)
async def faq_save(request: Request) -> Response:
    """Save the form as a new version."""
    _ = gettext(request)
    form = await request.form()
    question = str(form.get("question", "")).strip()
    short = "\n".join(line.strip() for line in str(form.get("short", "")).splitlines()).strip()
    answer = str(form.get("answer", "")).strip()
    examples = [line.strip() for line in str(form.get("examples", "")).splitlines()]
    status = str(form.get("status", TranslationStatus.DRAFT.value))
    if status not in {s.value for s in EDITABLE_STATUSES}:
        status = TranslationStatus.DRAFT.value
    if len(question) < 3 or len(answer) < 3:
        flash(request, _("Question and answer need at least 3 characters each."), "error")
        return _back(request)
    if not fits_first_message(short):
        message = _("The short answer has {count} words: at most {limit}, on {lines} lines.")
        flash(
            request,
            message.format(count=word_count(short), limit=SHORT_WORDS, lines=SHORT_LINES),
            "error",
        )
        return _back(request)
    need = " ".join(str(form.get("desk_need", "")).split())
    documents = [line.strip() for line in str(form.get("desk_documents", "")).splitlines()]
    documents = [d for d in documents if d]
    desk = None
    if need or documents:
        try:
            # Stored as the seed's loader stores it, so an export and a reload change nothing.
            desk = DeskDoc(need=need, documents=documents).model_dump()
        except ValidationError:
            message = _(
                "A desk card is what the person needs in one sentence (at most {chars} "
                "characters) and at most {count} things to bring."
            )
            flash(request, message.format(chars=DESK_NEED, count=DESK_DOCUMENTS), "error")
            return _back(request)
    draft = faqs.Draft(
        question, answer, [e for e in examples if e], TranslationStatus(status), short, desk
    )
    # Saved as reviewed: the person saving it vouches for the text.
    reviewer = request.state.user.username if status == TranslationStatus.REVIEWED else None
    version = _change(
        request,
        "faq.edit",
        lambda session, faq, language: faqs.add_version(session, faq, language, draft, reviewer),
    )
    flash(request, _("Saved as version {version}.").format(version=version))
    return _back(request)


@requires(CONTENT)
async def faq_publish(request: Request) -> Response:
    """Publish the newest version of a language."""
    _ = gettext(request)
    if _change(request, "faq.publish", faqs.publish) is None:
        flash(request, _("There is nothing to publish in this language yet."), "error")
    else:
        flash(request, _("Published: the bot answers with this text now."))
    return _back(request)


@requires(CONTENT)
async def faq_review(request: Request) -> Response:
    """The person read the newest version and vouches for it (the text is not changed)."""
    _ = gettext(request)
    reviewer = request.state.user.username
    reviewed = _change(
        request,
        "faq.review",
        lambda session, faq, language: faqs.review(session, faq, language, reviewer),
    )
    if reviewed is None:
        flash(request, _("There is nothing to review in this language yet."), "error")
    else:
        flash(request, _("Marked as reviewed by you."))
    return _back(request)


@requires(CONTENT)
async def faq_restore(request: Request) -> Response:
    """Bring an old version back as a new draft."""
    _ = gettext(request)
    old = int(request.path_params["version"])
    new = _change(
        request,
        "faq.restore",
        lambda session, faq, language: faqs.restore(session, faq, language, old),
    )
    if new is None:
        raise HTTPException(404)
    flash(request, _("Version {old} restored as draft version {new}.").format(old=old, new=new))
    return _back(request)


@requires(CONTENT | EVENTS)
async def coverage(request: Request) -> Response:
    """The FAQ x language matrix coloured by status, with counts per language; below it the
    events and announcements to come, for whoever writes those."""
    found = _found(request)
    languages = found["faq_languages"]
    with request.app.state.sessions() as session:
        events = figures.events(session, languages, datetime.now(UTC))
        announcements = figures.announcements(session, languages)
    return page(
        request,
        "coverage.html",
        counts=figures.counts(found["rows"], languages),
        reviews=figures.reviews(found["rows"], languages),
        show_faqs=request.state.user.role in CONTENT,
        may_edit_events=request.state.user.role in EVENTS,
        events=events,
        announcements=announcements,
        **found,
    )
