"""Button presses go to the dialogue core; menus replace themselves instead of piling up."""

from __future__ import annotations

from dataclasses import replace

from telegram import CallbackQuery, InlineKeyboardMarkup, MaybeInaccessibleMessage, Message, Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.context import Handler, Parts, edit_or_send, send
from bot.handlers import handoff
from bot.handlers.start import START, picker
from dialogue.core import UserState
from dialogue.replies import AREA, LANGUAGES, MENU, SERVICES, Reply

# Payloads whose answer is another menu.
MENU_PAYLOADS = frozenset({MENU, SERVICES, LANGUAGES})
# Menus whose every button starts so: the picker, the area and town menus.
MENU_PREFIXES = (START, AREA)
FEEDBACK = "fb:"


def is_language_choice(payload: str) -> bool:
    """The language picker or a language switch."""
    return payload == LANGUAGES or payload.startswith("lang:")


def keeps_data(payload: str) -> bool:
    """Choosing a language or an area is data the bot keeps: it needs consent first."""
    return is_language_choice(payload) or payload.split(":")[0] == AREA


def payloads(message: Message) -> set[str]:
    """The callback data of a message's buttons."""
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup else ()
    return {str(button.callback_data) for row in rows for button in row}


def menus(parts: Parts) -> list[set[str]]:
    """The button sets of the core's menus (payloads do not depend on the language)."""
    language = parts.settings.default_language
    shown = [parts.dialogue.main_menu, parts.dialogue.services_menu, parts.dialogue.languages_menu]
    return [{b.payload for b in menu(language).buttons} for menu in shown]


def in_place(parts: Parts, message: MaybeInaccessibleMessage | None, payload: str) -> bool:
    """A menu button pressed on a menu replaces that menu; anything else is a new message."""
    if not isinstance(message, Message):
        return False
    if not (payload in MENU_PAYLOADS or keeps_data(payload)):
        return False
    found = payloads(message)
    return found in menus(parts) or any(
        all(p.startswith(prefix) for p in found) for prefix in MENU_PREFIXES
    )


async def show(parts: Parts, query: CallbackQuery, chat_id: int, replies: list[Reply]) -> None:
    """Edit the pressed menu or send new messages, as `in_place` decides."""
    if in_place(parts, query.message, query.data or "") and isinstance(query.message, Message):
        await edit_or_send(query.message, replies)
    else:
        await send(query.get_bot(), chat_id, replies)


async def drop_feedback(query: CallbackQuery) -> None:
    """One vote per answer: the 👍/👎 buttons leave the message once pressed."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    rows = [
        [b for b in row if not str(b.callback_data).startswith(FEEDBACK)]
        for row in message.reply_markup.inline_keyboard
    ]
    await query.edit_message_reply_markup(InlineKeyboardMarkup([row for row in rows if row]))


def handlers(parts: Parts) -> list[Handler]:
    """Any callback query the start and command handlers did not take."""

    async def pressed(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat = update.effective_chat
        if query is None or query.data is None or chat is None:
            return
        await query.answer()
        stored = parts.users.load(chat.id)
        state = stored or UserState(parts.telegram_language(update.effective_user))
        if stored is None and keeps_data(query.data):
            # First the notice, whose buttons give consent.
            wanted = query.data.removeprefix("lang:")
            chosen = wanted if wanted in parts.settings.languages else state.language
            await show(parts, query, chat.id, [picker(parts, chosen)])
            return
        before = replace(state)
        turn = await parts.dialogue.handle_button(state, query.data)
        if stored is not None and state != before:
            parts.users.save(chat.id, state)
        if query.data.startswith(FEEDBACK):
            await drop_feedback(query)
        replies = await handoff.replies_for(parts, query.get_bot(), chat.id, turn)
        await show(parts, query, chat.id, replies)

    return [CallbackQueryHandler(pressed)]
