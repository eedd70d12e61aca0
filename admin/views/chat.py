"""Try the bot: the same dialogue core the Telegram bot uses, replies shown as Telegram would."""

from __future__ import annotations

from dataclasses import dataclass, replace

from starlette.requests import Request
from starlette.responses import Response

from admin.auth import requires
from admin.roles import ANYONE
from admin.templating import page
from dialogue.core import Turn, UserState
from dialogue.payloads import ShowMenu, encode
from dialogue.replies import Button
from render.telegram import render
from shared.i18n import RTL


@dataclass(frozen=True)
class Shown:
    """One reply on the page: its messages' HTML (escaped by the renderer) and its buttons."""

    messages: list[str]
    buttons: list[Button]
    rtl: bool


def shown(turn: Turn) -> list[Shown]:
    """The replies of a turn, rendered by the Telegram renderer."""
    return [
        Shown([m.text for m in render(reply)], reply.buttons, reply.language in RTL)
        for reply in turn.replies
    ]


def _state(request: Request) -> UserState:
    saved = request.session.get("try", {})
    languages = request.app.state.settings.languages
    language = saved.get("language") if saved.get("language") in languages else languages[0]
    return UserState(
        language,
        saved.get("province"),
        last_category=saved.get("last_category"),
        last_office=saved.get("last_office"),
    )


@requires(ANYONE)
async def try_page(request: Request) -> Response:
    """The chat page with the main menu in the chosen language."""
    state = _state(request)
    turn = await request.app.state.dialogue.handle_button(state, encode(ShowMenu()))
    return page(request, "chat.html", state=state, said=None, replies=shown(turn))


@requires(ANYONE)
async def try_send(request: Request) -> Response:
    """Send a message or press a button, then show the bot's replies."""
    form = await request.form()
    state = _state(request)
    language = str(form.get("language", state.language))
    if language in request.app.state.settings.languages and language != state.language:
        state = replace(state, language=language)
    payload = str(form.get("payload", ""))
    text = str(form.get("text", ""))
    dialogue = request.app.state.dialogue
    if payload:
        turn = await dialogue.handle_button(state, payload)
        said = str(form.get("label", payload))
    else:
        turn = await dialogue.handle_text(state, text)
        said = text
    request.session["try"] = {
        "language": state.language,
        "province": state.province,
        "last_category": state.last_category,
        "last_office": state.last_office,
    }
    return page(request, "chat.html", state=state, said=said, replies=shown(turn))
