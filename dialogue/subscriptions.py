"""News by topic, opt-in only: /subscribe's and /unsubscribe's menus, each change confirmed."""

from __future__ import annotations

from dialogue.payloads import Follow, encode
from dialogue.replies import Button, Reply
from shared.i18n import translations
from storage.subscriptions import Topic


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
