"""The bot's answer to a link code from the admin tool (sent as `/start link-<code>`)."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogue.replies import Reply
from shared.i18n import translations
from storage.links import LINK_PREFIX, LinkStore


def is_link(args: str) -> bool:
    """Whether /start carries a link code (a deep link from "My profile")."""
    return args.startswith(LINK_PREFIX)


def link(store: LinkStore, chat_id: int, args: str, language: str) -> Reply:
    """Link this private chat to the code's account, or say why not."""
    _ = translations(language).gettext
    code = args.removeprefix(LINK_PREFIX)
    # Telegram's private chats have positive ids: groups, the terminal and "try the bot" do not.
    username = store.redeem(code, chat_id, datetime.now(UTC)) if chat_id > 0 else None
    if username is None:
        text = _(
            "This code links nothing: it is wrong, used or expired, or this is not a private "
            "chat with me. Make a new code under My profile in the admin tool."
        )
    else:
        text = _(
            "This chat is now linked to the admin account {username}: announcement tests "
            "will come here."
        ).format(username=username)
    return Reply(text, language)
