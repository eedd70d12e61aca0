"""First contact: the privacy notice and the language picker, then the optional area."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.context import Handler, Parts, edit_or_send, send
from dialogue.payloads import ChooseLanguage, Consent, decode, encode, pressed
from dialogue.replies import Button, Reply
from shared.i18n import NATIVE_NAMES, translations


def notice(language: str) -> str:
    """The short privacy notice shown before anything is kept."""
    _ = translations(language).gettext
    return _(
        "Welcome to PRIMM bot! I answer questions about living in the Marche region.\n\n"
        "Privacy: when you choose a language, I keep only your chat number, your language "
        "and your province if you tell me. I never keep your name or your messages."
    )


def picker(parts: Parts, language: str) -> Reply:
    """The notice and every language in its own script, the likely one first and ticked."""
    _ = translations(language).gettext
    codes = sorted(parts.settings.languages, key=lambda code: code != language)
    buttons = [
        Button(("✓ " if code == language else "") + NATIVE_NAMES[code], encode(Consent(code)))
        for code in codes
    ]
    return Reply(f"{notice(language)}\n\n{_('Choose your language')}", language, buttons)


def handlers(parts: Parts) -> list[Handler]:
    """/start and the picker's buttons."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is not None:
            await send(context.bot, chat.id, [picker(parts, parts.state(update).language)])

    async def chosen(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or update.effective_chat is None:
            return
        await query.answer()
        choice = decode(str(query.data))
        if not isinstance(choice, Consent):
            return
        code = choice.code
        state = parts.state(update)
        await parts.dialogue.handle_button(state, encode(ChooseLanguage(code)))
        if state.language != code:  # not a language we speak: show the picker again
            return
        parts.users.consent(update.effective_chat.id, state)
        if isinstance(query.message, Message):
            await edit_or_send(query.message, [parts.dialogue.menus.area_menu(code)])

    return [
        CommandHandler("start", start),
        CallbackQueryHandler(chosen, pattern=pressed(Consent)),
    ]
