"""/subscribe and /unsubscribe: news by topic, opt-in only, each change confirmed."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.context import Handler, Parts, edit_or_send, send
from bot.handlers.start import picker
from dialogue.payloads import Follow, decode, encode, pressed
from dialogue.replies import Button, Reply
from shared.i18n import translations
from storage.subscriptions import SubscriptionStore, Topic


def topic_name(topic: Topic, language: str) -> str:
    """A topic as the user reads it."""
    _ = translations(language).gettext
    return {
        Topic.EVENTS: _("Events"),
        Topic.LANGUAGE_COURSES: _("Italian courses"),
        Topic.HOUSING: _("Housing"),
        Topic.SERVICES_NEWS: _("News about services"),
    }[topic]


def following(language: str, topics: list[Topic]) -> str:
    """The line that shows what the user follows now."""
    _ = translations(language).gettext
    if not topics:
        return _("You do not follow any topic yet.")
    names = ", ".join(topic_name(topic, language) for topic in topics)
    return _("You follow: {topics}").format(topics=names)


def subscribe_menu(language: str, topics: list[Topic]) -> Reply:
    """The topics not followed yet, as buttons, under what is followed already."""
    _ = translations(language).gettext
    rest = [topic for topic in Topic if topic not in topics]
    ask = _("Which news would you like to receive? Tap a topic.") if rest else ""
    text = "\n\n".join(part for part in (following(language, topics), ask) if part)
    buttons = [
        Button(topic_name(topic, language), encode(Follow(topic.value, on=True))) for topic in rest
    ]
    return Reply(text, language, buttons)


def unsubscribe_menu(language: str, topics: list[Topic]) -> Reply:
    """The followed topics, as buttons that stop them."""
    _ = translations(language).gettext
    if not topics:
        return Reply(_("You do not follow any topic. Send /subscribe to choose some."), language)
    text = "\n\n".join((following(language, topics), _("Which news do you want to stop?")))
    buttons = [
        Button(topic_name(topic, language), encode(Follow(topic.value, on=False)))
        for topic in topics
    ]
    return Reply(text, language, buttons)


def confirmation(language: str, topic: Topic, followed: bool) -> str:
    """What the user is told after a tap."""
    _ = translations(language).gettext
    name = topic_name(topic, language)
    if followed:
        return _("Done: I will send you news about {topic}. Send /unsubscribe to stop.").format(
            topic=name
        )
    return _("Done: no more news about {topic}.").format(topic=name)


def handlers(parts: Parts) -> list[Handler]:
    """The two commands (consent first) and their topic buttons."""
    store = SubscriptionStore(parts.users.sessions)

    def command(name: str, menu: Callable[[str, list[Topic]], Reply]) -> Handler:
        async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            chat = update.effective_chat
            if chat is None:
                return
            language = parts.state(update).language
            if (
                parts.users.load(chat.id) is None
            ):  # a subscription is data: only after the privacy notice
                await send(context.bot, chat.id, [picker(parts, language)])
                return
            await send(context.bot, chat.id, [menu(language, store.topics(chat.id))])

        return CommandHandler(name, answer)

    async def tapped(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None or not isinstance(query.message, Message):
            return
        await query.answer()
        language = parts.state(update).language
        choice = decode(str(query.data))
        if not isinstance(choice, Follow) or choice.topic not in set(Topic):
            return  # an old or forged button
        if parts.users.load(chat.id) is None:
            return
        topic, followed = Topic(choice.topic), choice.on
        if followed:
            store.follow(chat.id, topic)
        else:
            store.unfollow(chat.id, topic)
        text = confirmation(language, topic, followed)
        shown = following(language, store.topics(chat.id))
        await edit_or_send(query.message, [Reply(f"{text}\n\n{shown}", language)])

    return [
        command("subscribe", subscribe_menu),
        command("unsubscribe", unsubscribe_menu),
        CallbackQueryHandler(tapped, pattern=pressed(Follow)),
    ]
