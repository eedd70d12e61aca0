"""Answers to a question: an FAQ, a vote, a conversational reply, or no answer at all."""

from __future__ import annotations

from collections.abc import Sequence

from content.repository import FaqAnswer
from dialogue.content import ContentBase, Voices
from dialogue.desk import desk_button
from dialogue.labels import category_label
from dialogue.lists import Lists, fallback_chain, listed
from dialogue.menus import Menus
from dialogue.payloads import AskPerson, Listen, ShowCategory, ShowDetails, Vote, encode
from dialogue.replies import Button, Reply
from shared.i18n import language_name, translations
from shared.settings import Settings
from shared.vocabulary import CATEGORIES, FOLLOW_UP_INTENT


def _fallback_note(answer: FaqAnswer, language: str) -> list[str]:
    """Say so when the answer is in another language than the user's."""
    if answer.language == language:
        return []
    _ = translations(language).gettext
    note = _("This answer is not yet available in {language}. Here it is in {other}.")
    return [
        note.format(
            language=language_name(language, language),
            other=language_name(answer.language, language),
        )
    ]


def closest(suggestions: Sequence[str]) -> list[str]:
    """The topics a decline offers after a person: FAQs or categories, at most three."""
    return [t for t in dict.fromkeys(suggestions) if t.startswith("faq/") or t in CATEGORIES][:3]


class Answers:
    """FAQ answers, their details, the conversation's replies and the "which one?" replies."""

    def __init__(
        self,
        content: ContentBase,
        settings: Settings,
        menus: Menus,
        lists: Lists,
        voices: Voices,
    ) -> None:
        self.content = content
        self.settings = settings
        self.menus = menus
        self.lists = lists
        self.voices = voices

    def faq_replies(
        self, slug: str, language: str, province: str | None, office: str | None = None
    ) -> list[Reply]:
        """An FAQ's answer; on a local topic, the offices, courses or events of the province.

        The province is the one the question names, else the user's area; unknown, the answer
        offers to list them instead.
        """
        answer = self.content.faq_answer(slug, fallback_chain(self.settings, language))
        reply = self._faq_reply(slug, answer, language, province, office)
        # The answer's row names the category; without a text to show, the FAQ's own does.
        category = answer.category if answer else self.content.faq_category(slug)
        if category is None or not listed(category, province):
            return [reply]
        kinds = answer.offices if answer else ()
        return [reply, *self.lists.category_replies(category, language, province, office, kinds)]

    def _faq_reply(
        self,
        slug: str,
        answer: FaqAnswer | None,
        language: str,
        province: str | None = None,
        office: str | None = None,
    ) -> Reply:
        """An FAQ's short text first (the whole answer when it has none), with what comes next."""
        _ = translations(language).gettext
        if answer is None:
            return self.menus.main_menu(language)
        parts = [*_fallback_note(answer, language), answer.question]
        buttons = []
        if answer.short:
            parts.append(answer.short)
            buttons.append(Button(_("📖 More details"), encode(ShowDetails(slug))))
        else:
            parts += [answer.answer, _("Source: {url}").format(url=answer.source_url)]
        # Read aloud only in the user's own language, and only where that voice is on.
        if answer.language == language and self.voices.speaks(language):
            buttons.append(Button(_("🔊 Listen"), encode(Listen(slug))))
        if desk := desk_button(answer, language, province):
            buttons.append(desk)
        if answer.category != "events" and not listed(answer.category, province):
            buttons.append(
                Button(
                    _("📍 Offices near me"),
                    encode(ShowCategory(answer.category, province, office, answer.offices)),
                )
            )
        buttons += self.lists.category_faq_buttons(answer.category, language, 2, skip=slug)
        buttons += self._closing_buttons(slug, answer.category, language)
        return Reply("\n\n".join(parts), language, buttons)

    def details_reply(self, slug: str, language: str) -> Reply:
        """The whole answer and its source, for a user who pressed "More details"."""
        _ = translations(language).gettext
        answer = self.content.faq_answer(slug, fallback_chain(self.settings, language))
        if answer is None:
            return self.menus.main_menu(language)
        parts = [
            *_fallback_note(answer, language),
            answer.answer,
            _("Source: {url}").format(url=answer.source_url),
        ]
        buttons = self._closing_buttons(slug, answer.category, language)
        return Reply("\n\n".join(parts), language, [*buttons, self.menus.menu_button(language)])

    def _closing_buttons(self, slug: str, category: str, language: str) -> list[Button]:
        """A vote on the answer and a person, under every answer's text."""
        _ = translations(language).gettext
        return [
            Button("👍", encode(Vote(slug, True))),
            Button("👎", encode(Vote(slug, False))),
            Button(_("Talk to a person"), encode(AskPerson(category))),
        ]

    def feedback_reply(self, helpful: bool, language: str) -> Reply:
        """Thanks for a vote; after a 👎, offer a person straight away."""
        _ = translations(language).gettext
        if helpful:
            return Reply(
                _("Thank you for your feedback!"), language, [self.menus.menu_button(language)]
            )
        text = _(
            "Thank you for telling me. I am sorry this did not help: try other words, "
            "or talk to a person."
        )
        return Reply(
            text,
            language,
            [Button(_("Talk to a person"), encode(AskPerson())), self.menus.menu_button(language)],
        )

    def conversation(self, intent: str, language: str, province: str | None) -> list[Reply]:
        """Greetings, thanks, help, a person, or things the bot does not cover."""
        _ = translations(language).gettext
        menu = self.menus.menu_buttons(language)
        if intent == "greeting":
            return [
                Reply(
                    _(
                        "Hello! I am PRIMM bot. I answer questions about living in the "
                        "Marche region: documents, health, work, housing, Italian courses "
                        "and more. Write your question or choose a topic."
                    ),
                    language,
                    menu,
                )
            ]
        if intent == "goodbye":
            return [Reply(_("Goodbye! Write to me whenever you need help."), language)]
        if intent == "thanks":
            return [
                Reply(_("You're welcome! Is there anything else I can help with?"), language, menu)
            ]
        if intent == "help":
            return [
                Reply(
                    _(
                        "Write your question in your own words, in your language. You can "
                        "also name your town to see the offices near you, or choose a "
                        "topic below."
                    ),
                    language,
                    menu,
                )
            ]
        if intent == FOLLOW_UP_INTENT:
            ask = _("Which topic do you mean? Please write your whole question.")
            return [Reply(ask, language, menu)]
        if intent == "human":
            intro = Reply(
                _(
                    "To talk to a person, go to the social services of your comune or "
                    "one of the offices below. In an emergency call 112."
                ),
                language,
            )
            return [intro, *self.lists.category_replies("social_services", language, province)]
        return [self.abstain(language, [])]

    def clarify(self, language: str, slugs: Sequence[str]) -> Reply:
        """Close to covered content but no single FAQ sure: which one, and a person."""
        _ = translations(language).gettext
        person = Button(_("Talk to a person"), encode(AskPerson()))
        return Reply(
            _("Is your question one of these? Choose one, or talk to a person."),
            language,
            [*self.lists.faq_buttons(slugs, language), person],
        )

    def abstain(self, language: str, targets: Sequence[str]) -> Reply:
        """No answer rather than a wrong one: a person first, then the closest topics."""
        _ = translations(language).gettext
        slugs = [t.removeprefix("faq/") for t in targets if t.startswith("faq/")]
        faq_buttons = dict(zip(slugs, self.lists.faq_buttons(slugs, language), strict=True))
        buttons = [
            faq_buttons[t.removeprefix("faq/")]
            if t.startswith("faq/")
            else Button(category_label(t, language), encode(ShowCategory(t)))
            for t in targets
        ]
        person = Button(_("Talk to a person"), encode(AskPerson()))
        text = (
            _(
                "I have no information on this, and I would rather not guess. A person can "
                "help you. Or maybe your question is about one of these topics:"
            )
            if buttons
            else _(
                "I have no information on this, and I would rather not guess. A person can "
                "help you, or choose a topic."
            )
        )
        return Reply(text, language, [person, *(buttons or self.menus.menu_buttons(language))])
