"""Voices: mediators listen to each language's voice and switch "🔊 Listen" on or off."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from admin import audit
from admin.auth import requires
from admin.roles import CONTENT
from admin.templating import flash, gettext, page
from content.voice import VoiceNotes
from shared.i18n import RTL
from storage.voices import switch_voice


def _voices(request: Request) -> VoiceNotes:
    voices: VoiceNotes = request.app.state.dialogue.voices
    return voices


@requires(CONTENT)
async def voices(request: Request) -> Response:
    """Each language: whether its voice is on, and an answer to listen to."""
    notes = _voices(request)
    return page(
        request,
        "voices.html",
        codes=request.app.state.settings.languages,
        on=notes.on(),
        samples=notes.samples(),
        rtl=RTL,
    )


@requires(CONTENT)
async def switch(request: Request) -> Response:
    """Switch one language's voice on or off, for every answer from the next one shown."""
    _ = gettext(request)
    language = request.path_params["lang"]
    if language not in request.app.state.settings.languages:
        raise HTTPException(404)
    on = (await request.form()).get("on") == "1"
    with request.app.state.sessions.begin() as session:
        before = {"on": language in _voices(request).on()}
        switch_voice(session, language, on, datetime.now(UTC))
        audit.record(
            session,
            request.state.user.username,
            "voice.switch",
            f"voices/{language}",
            before,
            {"on": on},
        )
    flash(request, _("The voice is on.") if on else _("The voice is off."))
    return RedirectResponse("/voices", status_code=303)


@requires(CONTENT)
async def faq_voice(request: Request) -> Response:
    """An FAQ's voice note in a language, the file the bot sends (made on the first request)."""
    language = request.path_params["lang"]
    if language not in request.app.state.settings.languages:
        raise HTTPException(404)
    note = await asyncio.to_thread(_voices(request).faq, request.path_params["slug"], language)
    if note is None:
        raise HTTPException(404)
    return FileResponse(note.path, media_type="audio/ogg")


ROUTES = [
    Route("/voices", voices, methods=["GET"]),
    Route("/voices/{lang}", switch, methods=["POST"]),
    Route("/faqs/{slug}/{lang}/voice", faq_voice, methods=["GET"]),
]
