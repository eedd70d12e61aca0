"""Button presses go to the dialogue core; menus replace themselves instead of piling up."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, MaybeInaccessibleMessage, Message, Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.context import Handler, Parts, edit_or_send, send
from dialogue.chats import AREA, keeps_data
from dialogue.payloads import (
    CancelPermit,
    Consent,
    DeleteData,
    Follow,
    ShowLanguages,
    ShowMenu,
    ShowServices,
    StopPermit,
    Vote,
    decode,
)
from dialogue.replies import Reply

# Payloads whose answer is another menu.
MENUS = (ShowMenu, ShowServices, ShowLanguages)
# Menus whose every button is of one kind: the picker, the area and town menus.
MENU_KINDS = ((Consent,), AREA)
# Answers that take the place of the message pressed: a choice made there is done.
SETTLED = (Consent, DeleteData, Follow, StopPermit, CancelPermit)


def payloads(message: Message) -> set[str]:
    """The callback data of a message's buttons."""
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup else ()
    return {str(button.callback_data) for row in rows for button in row}


def menus(parts: Parts) -> list[set[str]]:
    """The button sets of the core's menus (payloads do not depend on the language)."""
    language = parts.settings.default_language
    shown = [
        parts.dialogue.menus.main_menu,
        parts.dialogue.menus.services_menu,
        parts.dialogue.menus.languages_menu,
    ]
    return [{b.payload for b in menu(language).buttons} for menu in shown]


def in_place(parts: Parts, message: MaybeInaccessibleMessage | None, payload: str) -> bool:
    """A menu button pressed on a menu replaces that menu; anything else is a new message."""
    if not isinstance(message, Message):
        return False
    pressed = decode(payload)
    if isinstance(pressed, SETTLED):
        return True
    if not (isinstance(pressed, MENUS) or keeps_data(pressed)):
        return False
    found = payloads(message)
    return found in menus(parts) or any(
        all(isinstance(decode(p), kinds) for p in found) for kinds in MENU_KINDS
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
        [b for b in row if not isinstance(decode(str(b.callback_data)), Vote)]
        for row in message.reply_markup.inline_keyboard
    ]
    await query.edit_message_reply_markup(InlineKeyboardMarkup([row for row in rows if row]))


def handlers(parts: Parts) -> list[Handler]:
    """Every callback query of a user's chat: the core answers it."""

    async def pressed(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat = update.effective_chat
        if query is None or query.data is None or chat is None:
            return
        await query.answer()
        desk = parts.desk(query.get_bot())
        turn = await parts.chats.button(chat.id, parts.fallback(update), query.data, desk)
        if isinstance(decode(query.data), Vote):
            await drop_feedback(query)
        await show(parts, query, chat.id, turn.replies)

    return [CallbackQueryHandler(pressed)]
