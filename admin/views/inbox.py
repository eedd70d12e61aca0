"""The inbox page, its two actions (examples of an FAQ, a new FAQ) and the new-FAQ form."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import audit, faqs, inbox
from admin.auth import requires
from admin.i18n import N_, Gettext
from admin.roles import CONTENT
from admin.templating import flash, gettext, page
from content.personal import Kind, personal_data
from content.repository import latest_translations
from content.schema import FaqDoc
from dialogue.labels import category_label
from shared.vocabulary import CATEGORIES
from storage.content import Faq, TranslationStatus
from storage.inbox import InboxQuestion

# Shown when a field of the new-FAQ form is wrong (translated on the page).
FIELD_ERRORS = {
    "slug": N_("2 to 64 lower-case letters, digits or _, not used by another FAQ."),
    "category": N_("Choose a category."),
    "source_url": N_("A web address starting with https://."),
    "question": N_("At least 3 characters."),
    "answer": N_("At least 3 characters."),
    "language": N_("Choose a language."),
}


# What a refused text holds, said with the text as found (translated on the page).
FOUND = {
    Kind.PHONE: N_("a phone number ({text})"),
    Kind.EMAIL: N_("an e-mail address ({text})"),
}


def _personal(texts: Sequence[str], _: Gettext) -> str | None:
    """What personal data the first text that holds any holds, for the mediator; else None."""
    for text in texts:
        if found := personal_data(text):
            what = ", ".join(_(FOUND[f.kind]).format(text=f.text) for f in found)
            return _("“{question}” contains {found}.").format(question=text, found=what)
    return None


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


def _texts(rows: list[InboxQuestion]) -> list[str]:
    return list(dict.fromkeys(row.text for row in rows))


def _snapshot(rows: list[InboxQuestion]) -> dict[str, object]:
    """What the audit log keeps of converted questions: their ids only.

    The texts it keeps are those the FAQ version took on; the others go with the retention.
    """
    return {"questions": [row.id for row in rows]}


@requires(CONTENT)
async def inbox_page(request: Request) -> Response:
    """Questions the bot could not answer, grouped; open groups first."""
    with request.app.state.sessions() as session:
        groups = inbox.groups(session)
        slugs = list(session.scalars(select(Faq.slug).order_by(Faq.category_key, Faq.slug)))
    return page(request, "inbox.html", groups=groups, slugs=slugs)


@requires(CONTENT)
async def add_examples(request: Request) -> Response:
    """Turn a group into example questions of an existing FAQ, in the group's language."""
    _ = gettext(request)
    form = await request.form()
    ids = _ids([str(v) for v in form.getlist("id")])
    slug = str(form.get("faq", ""))
    with request.app.state.sessions.begin() as session:
        faq = faqs.load_faq(session, slug)
        rows = inbox.questions(session, ids)
        if faq is None or not rows:
            flash(request, _("Choose an FAQ and a group with open questions."), "error")
            return RedirectResponse("/inbox", status_code=303)
        language = rows[0].language
        rows = [row for row in rows if row.language == language]
        held = _personal(_texts(rows), _)
        if held is not None:
            kept = _(
                "Nothing was added, and the questions stay in the inbox. Make a new FAQ from "
                "the group to edit the wording, or type the example without it in the FAQ's "
                "editor."
            )
            flash(request, f"{held} {kept}", "error")
            return RedirectResponse("/inbox", status_code=303)
        before = faqs.snapshot(latest_translations(faq).get(language))
        changed = inbox.add_examples(session, faq, language, _texts(rows))
        if changed is None:
            flash(
                request,
                _("This FAQ has no text in this language yet: write it first."),
                "error",
            )
            return RedirectResponse("/inbox", status_code=303)
        inbox.mark(rows, faq.slug)
        user = request.state.user.username
        target = f"faq/{faq.slug}/{language}"
        audit.record(session, user, "inbox.examples", target, before, faqs.snapshot(changed))
        audit.record(session, user, "inbox.convert", target, _snapshot(rows), {"faq": faq.slug})
        status = changed.status
    message = _("{count} example questions added to {faq}.").format(count=len(rows), faq=slug)
    if status is not TranslationStatus.PUBLISHED:
        message += " " + _("Publish the text so the next training uses them.")
    else:
        message += " " + _("Retrain so the bot uses them.")
    flash(request, message)
    return RedirectResponse("/inbox", status_code=303)


def _form_page(
    request: Request, values: dict[str, str], ids: list[int], errors: dict[str, str]
) -> Response:
    return page(
        request,
        "faq_new.html",
        status_code=400 if errors else 200,
        values=values,
        ids=ids,
        errors=errors,
        categories=CATEGORIES,
        category_label=category_label,
        faq_languages=list(request.app.state.settings.languages),
    )


@requires(CONTENT)
async def new_faq_form(request: Request) -> Response:
    """The new-FAQ form, filled from an inbox group when one is given."""
    ids = _ids(request.query_params.getlist("id"))
    values = {"language": "it", "source_url": "https://"}
    with request.app.state.sessions() as session:
        rows = inbox.questions(session, ids)
    if rows:
        texts = _texts([row for row in rows if row.language == rows[0].language])
        guesses = [row.category for row in rows if row.category in CATEGORIES]
        values |= {
            "language": rows[0].language,
            "category": guesses[0] if guesses else "",
            "question": texts[0],
            "examples": "\n".join(texts[1:]),
        }
    return _form_page(request, values, [row.id for row in rows], {})


def _doc(values: dict[str, str]) -> tuple[FaqDoc | None, dict[str, str]]:
    """The form as the seed schema's FAQ, or the fields that are wrong."""
    examples = [line.strip() for line in values.get("examples", "").splitlines() if line.strip()]
    data = {
        "slug": values.get("slug", ""),
        "category": values.get("category", ""),
        "source_url": values.get("source_url", ""),
        "translations": {
            values.get("language", ""): {
                "question": values.get("question", ""),
                "answer": values.get("answer", ""),
                "examples": examples,
                "status": TranslationStatus.DRAFT.value,
            }
        },
    }
    try:
        return FaqDoc.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            location = [str(part) for part in error["loc"]]
            name = location[-1] if location[0] == "translations" else location[0]
            if location[0] == "translations" and len(location) < 3:
                name = "language"
            errors.setdefault(name, FIELD_ERRORS.get(name, N_("Check this value.")))
        return None, errors


@requires(CONTENT)
async def new_faq(request: Request) -> Response:
    """Create the FAQ as a draft in one language; the group's questions become its examples."""
    _ = gettext(request)
    form = await request.form()
    values = {key: str(value).strip() for key, value in form.items() if key != "id"}
    ids = _ids([str(v) for v in form.getlist("id")])
    doc, errors = _doc(values)
    if values.get("language") not in request.app.state.settings.languages:
        errors["language"] = FIELD_ERRORS["language"]
    held = {
        name: found + " " + _("Remove it before saving.")
        for name in ("question", "examples")
        if (found := _personal(values.get(name, "").splitlines(), _))
    }
    with request.app.state.sessions.begin() as session:
        if doc is not None and faqs.load_faq(session, doc.slug) is not None:
            errors["slug"] = FIELD_ERRORS["slug"]
        if doc is None or errors or held:
            shown = {k: _(v) for k, v in errors.items()} | held
            return _form_page(request, values, ids, shown)
        faq = inbox.create_faq(session, doc)
        language = values["language"]
        rows = [row for row in inbox.questions(session, ids) if row.language == language]
        inbox.mark(rows, faq.slug)
        user = request.state.user.username
        created = faqs.snapshot(latest_translations(faq).get(language))
        audit.record(session, user, "faq.create", f"faq/{faq.slug}/{language}", None, created)
        if rows:
            audit.record(
                session,
                user,
                "inbox.convert",
                f"faq/{faq.slug}",
                _snapshot(rows),
                {"faq": faq.slug},
            )
    flash(request, _("FAQ created as a draft. Check it, publish it, then retrain."))
    return RedirectResponse(f"/faqs/{faq.slug}?lang={language}", status_code=303)
