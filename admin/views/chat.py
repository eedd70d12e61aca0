"""Try the bot: the same dialogue core the Telegram bot uses, replies shown as Telegram would."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from admin.auth import current_user, requires
from admin.roles import ANYONE
from admin.templating import page
from content.voice import VoiceNote
from dialogue.chats import COMMANDS, Chats
from dialogue.core import Turn
from dialogue.payloads import ShowMenu, encode
from dialogue.replies import Button
from render.telegram import render
from shared.i18n import RTL
from storage.users import TERMINAL, UserState, tried_by


@dataclass(frozen=True)
class Shown:
    """One reply on the page: its messages' HTML (escaped by the renderer) and its buttons."""

    messages: list[str]
    buttons: list[Button]
    rtl: bool
    voice: str | None = None  # the voice note, for the page's audio element


def shown(turn: Turn) -> list[Shown]:
    """The replies of a turn, rendered by the Telegram renderer."""
    return [
        Shown([], reply.buttons, reply.language in RTL, _voice_url(reply.voice))
        if reply.voice
        else Shown([m.text for m in render(reply)], reply.buttons, reply.language in RTL)
        for reply in turn.replies
    ]


def _voice_url(note: VoiceNote) -> str:
    """The note inside the page: "try the bot" shows what the bot sent, whoever tries it."""
    return "data:audio/ogg;base64," + base64.b64encode(note.path.read_bytes()).decode()


def _state(request: Request) -> UserState:
    """The conversation's state kept in the session cookie, for a chat that has not agreed."""
    saved = request.session.get("try", {})
    languages = request.app.state.settings.languages
    language = saved.get("language") if saved.get("language") in languages else languages[0]
    return UserState(
        language,
        saved.get("province"),
        last_category=saved.get("last_category"),
        last_office=saved.get("last_office"),
        last_faq=saved.get("last_faq"),
    )


def _chat(request: Request) -> int:
    """The editor's own chat with the bot, apart from every Telegram chat."""
    user = current_user(request)
    return tried_by(user.id) if user else TERMINAL


def _chats(request: Request) -> Chats:
    return Chats(request.app.state.dialogue, request.app.state.sessions)


def _keep(request: Request, turn: Turn) -> UserState:
    """The state after the turn, in the session for the next request."""
    state = turn.state or _state(request)
    request.session["try"] = {
        "language": state.language,
        "province": state.province,
        "last_category": state.last_category,
        "last_office": state.last_office,
        "last_faq": state.last_faq,
    }
    return state


@requires(ANYONE)
async def try_page(request: Request) -> Response:
    """The chat page with the main menu in the chosen language."""
    turn = await _chats(request).button(_chat(request), _state(request), encode(ShowMenu()))
    state = _keep(request, turn)
    return page(request, "chat.html", state=state, said=None, replies=shown(turn))


@requires(ANYONE)
async def try_send(request: Request) -> Response:
    """Send a message, a /command or a button press, then show the bot's replies."""
    form = await request.form()
    chats, chat = _chats(request), _chat(request)
    state = chats.state(chat, _state(request))
    language = str(form.get("language", state.language))
    if language in request.app.state.settings.languages and language != state.language:
        state.language = language
        chats.users.save(chat, state)  # a chat that agreed keeps it; others keep it below
    payload = str(form.get("payload", ""))
    text = str(form.get("text", ""))
    name, _, args = text.strip().partition(" ")
    if payload:
        turn = await chats.button(chat, state, payload)
        said = str(form.get("label", payload))
    elif name.startswith("/") and name.removeprefix("/") in COMMANDS:
        turn = await chats.command(chat, state, name.removeprefix("/"), args)
        said = text
    else:
        turn = await chats.text(chat, state, text)
        said = text
    state = _keep(request, turn)
    return page(request, "chat.html", state=state, said=said, replies=shown(turn))
