"""The dialogue core: a message or a button press in, replies with buttons out."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from babel.numbers import format_decimal
from sqlalchemy.exc import SQLAlchemyError

from content.geo import valid_coordinates
from content.offices import OfficeKinds, named_first
from content.places import Place
from content.repository import FaqAnswer
from content.text import clean, has_letters
from dialogue import format as fmt
from dialogue.followup import only_place
from dialogue.labels import category_label, short
from dialogue.language import LanguageDetector
from dialogue.replies import (
    AREA_SKIP,
    HUMAN,
    LANGUAGES,
    MENU,
    SERVICES,
    Button,
    Handoff,
    LocationRequest,
    Reply,
    area_payload,
    category_payload,
    faq_payload,
    feedback_payload,
    human_payload,
    language_payload,
    near_payload,
)
from dialogue.understanding import Understander, Understanding
from shared import metrics
from shared.i18n import NATIVE_NAMES, language_name, locale, translations
from shared.settings import Settings
from shared.vocabulary import (
    CATEGORIES,
    CONVERSATION,
    NEAREST,
    PROVINCE_NAMES,
    PROVINCES,
    SERVICE_MENU,
)
from storage.content import Course, Event, Service

log = logging.getLogger(__name__)
# Categories whose offices are national (emergency numbers): no province needed.
NATIONAL = frozenset({"emergency"})
# Categories with offices, courses or events in each province: an answer about them lists those.
LOCAL = frozenset(CATEGORIES) - NATIONAL
# Categories offered after a shared location: those with local offices.
NEARBY = (*(key for key in SERVICE_MENU if key not in NATIONAL), "language_courses", "housing")
# Farther than this from every office, the user is probably outside the region.
OUTSIDE_KM = 60.0
# The route of a follow-up answered from the conversation ("and in Fermo?"), for the counts.
FOLLOW_UP = "followup"
MAX_TOWNS = 8
MAX_REMINDERS = 5  # "remind me" buttons under the event list (the soonest events)
MAX_PAYLOAD_BYTES = 64


class ContentBase(Protocol):
    """What the core reads from the content base."""

    def faq_category(self, slug: str) -> str | None: ...

    def faq_answer(self, slug: str, languages: Sequence[str]) -> FaqAnswer | None: ...

    def faq_questions(self, slugs: Sequence[str], languages: Sequence[str]) -> dict[str, str]: ...

    def faqs_in_category(self, category: str) -> list[str]: ...

    def services(self, category: str, province: str | None) -> list[Service]: ...

    def courses(self, province: str | None) -> list[Course]: ...

    def events(self, province: str | None, after: datetime) -> list[Event]: ...

    def towns(self, province: str) -> list[str]: ...

    def nearest(
        self, latitude: float, longitude: float, category: str | None, limit: int
    ) -> list[tuple[Service, float]]: ...

    def record_feedback(self, topic: str, language: str, helpful: bool) -> None: ...

    def count_message(self, language: str, category: str, engine: str, answered: bool) -> None: ...

    def record_unanswered(
        self, text: str, language: str, category: str | None, topic: str | None = None
    ) -> None: ...


@dataclass
class UserState:
    """What the core remembers about a user: their language, their area, the last topic asked.

    The topic is a category key and the kind of office named, if any (a slug prefix), never the
    message: it lets "and in Fermo?" be answered.
    """

    language: str
    province: str | None = None
    comune: str | None = None
    last_category: str | None = None
    last_office: str | None = None


@dataclass
class Turn:
    """The outcome of one message: replies, the language used and how it was understood.

    `handoff` says the user asked for a person: a front end that relays to the mediators
    does so, others show the replies (where to find a person).
    """

    replies: list[Reply]
    language: str
    understanding: Understanding | None = None
    handoff: Handoff | None = None


class Dialogue:
    """Routes messages and buttons to content, in the user's language."""

    def __init__(
        self,
        understander: Understander,
        content: ContentBase,
        detector: LanguageDetector,
        settings: Settings,
        offices: OfficeKinds,
        record: bool = True,
    ) -> None:
        self.understander = understander
        self.content = content
        self.detector = detector
        self.settings = settings
        self.offices = offices
        # False for traffic that is not users' (`primm ask`, benchmarks, the admin's "try the
        # bot"): it answers the same but leaves no counts, votes or inbox questions.
        self.record = record

    def chain(self, language: str) -> list[str]:
        """Languages to try for content: the user's, then the configured fallbacks."""
        return list(dict.fromkeys([language, *self.settings.fallback_languages]))

    async def handle_text(self, state: UserState, text: object) -> Turn:
        """Answer a free-text message; any input gets a reply, none raises."""
        return await self._guarded(self._handle_text(state, text), state.language)

    async def handle_button(self, state: UserState, payload: str) -> Turn:
        """Answer a button press; unknown payloads get the main menu."""
        return await self._guarded(self._handle_button(state, payload), state.language)

    async def handle_location(self, state: UserState, latitude: float, longitude: float) -> Turn:
        """Answer a shared location with the nearest offices; the location is not kept."""
        return await self._guarded(
            self._located(state.language, latitude, longitude), state.language
        )

    async def _located(self, language: str, latitude: float, longitude: float) -> Turn:
        return Turn([self.nearby_reply(language, latitude, longitude, None)], language)

    async def _guarded(self, answer: Awaitable[Turn], language: str) -> Turn:
        """A database failure becomes an apology, never an exception for the front end."""
        try:
            return await answer
        except SQLAlchemyError:
            log.exception("database error while answering")
            return self.apology(language)

    def apology(self, language: str) -> Turn:
        """What the user reads when our side fails: never silence, always the way to help."""
        _ = translations(language).gettext
        text = _(
            "Sorry, something went wrong on our side. Please try again in a minute. "
            "In an emergency call 112."
        )
        return Turn([Reply(text, language, [Button(_("Talk to a person"), HUMAN)])], language)

    async def _handle_text(self, state: UserState, text: object) -> Turn:
        language = state.language
        _ = translations(language).gettext
        message = clean(text) if isinstance(text, str) else ""
        if not has_letters(message):
            return Turn(
                [
                    Reply(
                        _(
                            "I can only read text messages. Please write your question "
                            "in words, for example: “Where can I learn Italian?”"
                        ),
                        language,
                        self.menu_buttons(language),
                    )
                ],
                language,
            )
        place = self.understander.places.exact(message)
        if place is not None:
            return Turn([self._set_area(state, place)], language)
        limit = self.settings.chat.max_message_chars
        truncated, message = len(message) > limit, message[:limit]
        language = self.detector.choose(message, language)
        _ = translations(language).gettext
        replies: list[Reply] = []
        if truncated:
            notice = _("Your message is very long: I read only the first {count} characters.")
            replies.append(Reply(notice.format(count=limit), language))
        followed = self._follow_up(state, message, language)
        if followed:
            replies += followed
            if language != state.language:
                replies[-1] = self._offer_switch(replies[-1], language)
            return Turn(replies, language)
        understanding = await self.understander.understand(message)
        province = understanding.province or state.province
        confident = self.understander.confident(understanding)
        category = (understanding.intent or "none") if confident else "none"
        metrics.MESSAGES.labels(language, category, understanding.engine).inc()
        # Out of scope is understood but not answered: the mediators may want to cover it.
        answered = self.understander.answers(understanding)
        if self.record:
            self.content.count_message(
                language, understanding.intent or "none", understanding.engine, answered
            )
        if not answered and self.record:
            self.content.record_unanswered(message, language, understanding.intent)
        if answered:
            office = self.offices.named(message)
            replies += self._route(understanding, language, province, office)
            if understanding.intent in CATEGORIES:
                state.last_category, state.last_office = understanding.intent, office
        else:
            if not confident:
                metrics.FALLBACKS.labels(language).inc()
            replies.append(self.abstain(language, understanding.suggestions))
        if language != state.language:
            replies[-1] = self._offer_switch(replies[-1], language)
        asked = answered and understanding.intent == "human" and not understanding.faq
        return Turn(replies, language, understanding, Handoff(text=message) if asked else None)

    async def _handle_button(self, state: UserState, payload: str) -> Turn:
        kind, _sep, rest = payload.partition(":")
        if kind == "lang" and rest in self.settings.languages:
            state.language = rest
            return Turn([self.main_menu(rest)], rest)
        language = state.language
        if kind == "faq":
            replies = self.faq_replies(rest, language, state.province)
            if category := self.content.faq_category(rest):
                state.last_category, state.last_office = category, None
            return Turn(replies, language)
        if kind == "cat":
            category, _sep, where = rest.partition(":")
            province, _sep, office = where.partition(":")
            if category in CATEGORIES:
                if province in PROVINCES and state.province is None:
                    state.province = province  # the answer to "which province are you in?"
                chosen = province if province in PROVINCES else state.province
                named = office if self.offices.known(office) else None
                state.last_category, state.last_office = category, named
                return Turn(self.category_replies(category, language, chosen, named), language)
        if kind == "area":
            return Turn([self._area(state, rest)], language)
        if kind == "fb":
            sign, _sep, slug = rest.partition(":")
            if sign in ("+", "-") and self.content.faq_category(slug):
                return Turn([self.feedback_reply(slug, sign == "+", language)], language)
        if kind == "near":
            nearby = self._near_button(language, rest)
            if nearby is not None:
                return Turn([nearby], language)
        if payload == SERVICES:
            return Turn([self.services_menu(language)], language)
        if payload == LANGUAGES:
            return Turn([self.languages_menu(language)], language)
        if kind == HUMAN:
            topic = rest if rest in CATEGORIES else None
            replies = self.conversation("human", language, state.province)
            if topic in NATIONAL:
                replies.append(self.emergency_numbers(language))
            return Turn(replies, language, handoff=Handoff(topic))
        return Turn([self.main_menu(language)], language)

    def _route(
        self,
        understanding: Understanding,
        language: str,
        province: str | None,
        office: str | None,
    ) -> list[Reply]:
        if understanding.faq:
            return self.faq_replies(understanding.faq, language, province, office)
        intent = understanding.intent or ""
        if intent in CONVERSATION:
            return self.conversation(intent, language, province)
        return self.category_replies(intent, language, province, office)

    def _follow_up(self, state: UserState, message: str, language: str) -> list[Reply]:
        """A message naming only a place ("and in Fermo?"): the last topic there; else nothing."""
        category = state.last_category
        place = only_place(message, self.understander.places) if category in CATEGORIES else None
        if category is None or place is None:
            return []
        metrics.MESSAGES.labels(language, category, FOLLOW_UP).inc()
        if self.record:
            self.content.count_message(language, category, FOLLOW_UP, True)
        return self.category_replies(category, language, place.province, state.last_office)

    def _offer_switch(self, reply: Reply, language: str) -> Reply:
        _ = translations(language).gettext
        switch = Button(
            _("Continue in {language}").format(language=NATIVE_NAMES[language]),
            language_payload(language),
        )
        return Reply(reply.text, reply.language, [*reply.buttons, switch])

    def faq_replies(
        self, slug: str, language: str, province: str | None, office: str | None = None
    ) -> list[Reply]:
        """An FAQ's answer; on a local topic, the offices, courses or events of the province.

        The province is the one the question names, else the user's area; unknown, the answer
        offers to list them instead.
        """
        reply = self.faq_reply(slug, language, province, office)
        category = self.content.faq_category(slug)
        if category is None or not _listed(category, province):
            return [reply]
        return [reply, *self.category_replies(category, language, province, office)]

    def faq_reply(
        self,
        slug: str,
        language: str,
        province: str | None = None,
        office: str | None = None,
    ) -> Reply:
        """An FAQ's answer, in the user's language or the fallback chain, with related topics."""
        _ = translations(language).gettext
        answer = self.content.faq_answer(slug, self.chain(language))
        if answer is None:
            return self.main_menu(language)
        parts = []
        if answer.language != language:
            parts.append(
                _("This answer is not yet available in {language}. Here it is in {other}.").format(
                    language=language_name(language, language),
                    other=language_name(answer.language, language),
                )
            )
        parts += [answer.question, answer.answer, _("Source: {url}").format(url=answer.source_url)]
        related = [s for s in self.content.faqs_in_category(answer.category) if s != slug][:2]
        buttons = self.faq_buttons(related, language)
        if answer.category != "events" and not _listed(answer.category, province):
            buttons.append(
                Button(
                    _("📍 Offices near me"), category_payload(answer.category, province, office)
                )
            )
        buttons += [
            Button("👍", feedback_payload(slug, True)),
            Button("👎", feedback_payload(slug, False)),
            Button(_("Talk to a person"), human_payload(answer.category)),
        ]
        return Reply("\n\n".join(parts), language, buttons)

    def feedback_reply(self, slug: str, helpful: bool, language: str) -> Reply:
        """Keep the vote (anonymous); after a 👎, offer a person straight away."""
        _ = translations(language).gettext
        if self.record:
            self.content.record_feedback(f"faq/{slug}", language, helpful)
        if not helpful and self.record:
            # The user's own words are not kept past their message: the FAQ's question stands
            # for them, so the mediators see which answer fell short.
            answer = self.content.faq_answer(slug, self.chain(language))
            text = answer.question if answer else slug
            self.content.record_unanswered(
                text, language, self.content.faq_category(slug), f"faq/{slug}"
            )
        if helpful:
            return Reply(_("Thank you for your feedback!"), language, [self.menu_button(language)])
        text = _(
            "Thank you for telling me. I am sorry this did not help: try other words, "
            "or talk to a person."
        )
        return Reply(
            text, language, [Button(_("Talk to a person"), HUMAN), self.menu_button(language)]
        )

    def area_menu(self, language: str) -> Reply:
        """Optional: the province, so offices near the user come first."""
        _ = translations(language).gettext
        text = _(
            "Which province do you live in? I use it only to show you the offices nearby. "
            "You can skip this and tell me later with /area."
        )
        buttons = [Button(name, area_payload(code)) for code, name in PROVINCE_NAMES.items()]
        return Reply(
            text,
            language,
            [*buttons, Button(_("Skip"), AREA_SKIP)],
            LocationRequest(
                _("Or share your location to see the nearest offices."),
                _("📍 Share my location"),
            ),
        )

    def town_menu(self, province: str, language: str) -> Reply:
        """The comuni of a province that have offices; any other can be typed."""
        _ = translations(language).gettext
        towns = [
            Button(town, area_payload(province, town))
            for town in self.content.towns(province)
            if len(area_payload(province, town).encode()) <= MAX_PAYLOAD_BYTES
        ][:MAX_TOWNS]
        text = _("Province: {province}. Which town? Choose it, or write its name.").format(
            province=PROVINCE_NAMES[province]
        )
        return Reply(text, language, [*towns, Button(_("Skip"), AREA_SKIP)])

    def _area(self, state: UserState, rest: str) -> Reply:
        province, _sep, comune = rest.partition(":")
        if province in PROVINCES and not comune:
            state.province, state.comune = province, None
            return self.town_menu(province, state.language)
        place = self.understander.places.comune(comune)
        if place is not None and place.province == province:
            return self._set_area(state, place)
        if rest == "":
            return self.area_menu(state.language)
        return self.main_menu(state.language)

    def _set_area(self, state: UserState, place: Place) -> Reply:
        """Keep the user's comune and province and say so, with the main menu."""
        state.province, state.comune = place.province, place.comune
        _ = translations(state.language).gettext
        menu = self.main_menu(state.language)
        done = _("Your area: {place} ({province}). I will show you the offices there.").format(
            place=place.comune, province=place.province
        )
        return Reply(f"{done}\n\n{menu.text}", state.language, menu.buttons)

    def _near_button(self, language: str, rest: str) -> Reply | None:
        category, _sep, point = rest.partition(":")
        latitude, _sep, longitude = point.partition(":")
        try:
            lat, lon = float(latitude), float(longitude)
        except ValueError:
            return None
        if category not in NEARBY:
            return None
        return self.nearby_reply(language, lat, lon, category)

    def nearby_reply(
        self, language: str, latitude: float, longitude: float, category: str | None
    ) -> Reply:
        """The offices nearest a point, with distances; by topic once one is chosen."""
        _ = translations(language).gettext
        if not valid_coordinates(latitude, longitude):
            return self.main_menu(language)
        found = self.content.nearest(latitude, longitude, category, 3 if category else 5)
        if not found:
            text = _("I have no offices with a known location for this topic yet.")
            return Reply(text, language, [self.menu_button(language)])
        chain = self.chain(language)
        rows = [
            fmt.service(row, chain)
            + "\n"
            + _("📏 about {distance} km from you (to the town centre)").format(
                distance=format_decimal(round(km, 1), locale=locale(language))
            )
            for row, km in found
        ]
        heading = (
            _("Nearest offices: {topic}").format(topic=category_label(category, language))
            if category
            else _("The offices nearest to you:")
        )
        parts = [heading, *rows]
        nearest, km = found[0]
        buttons: list[Button] = []
        if km > OUTSIDE_KM:
            parts.insert(0, _("You seem to be outside the Marche region."))
        elif (
            nearest.province and nearest.comune and self.understander.places.comune(nearest.comune)
        ):
            buttons.append(
                Button(
                    _("Set my area: {place}").format(place=nearest.comune),
                    area_payload(nearest.province, nearest.comune),
                )
            )
        if category is None:
            buttons += [
                Button(category_label(key, language), near_payload(key, latitude, longitude))
                for key in NEARBY
            ]
        buttons.append(self.menu_button(language))
        return Reply("\n\n".join(parts), language, buttons)

    def faq_buttons(self, slugs: Sequence[str], language: str) -> list[Button]:
        """Buttons that open FAQs, labelled with their questions."""
        questions = self.content.faq_questions(slugs, self.chain(language))
        return [Button(short(questions.get(slug, slug)), faq_payload(slug)) for slug in slugs]

    def category_replies(
        self, category: str, language: str, province: str | None, office: str | None = None
    ) -> list[Reply]:
        """Offices, courses or events of a category, in the province when one is known.

        `office` is the kind of office the user named (a slug prefix): those offices come first.
        """
        _ = translations(language).gettext
        chain = self.chain(language)
        topic = category_label(category, language)
        faq_buttons = self.faq_buttons(self.content.faqs_in_category(category)[:3], language)
        if category == "events":
            upcoming = self.content.events(province, datetime.now(UTC))
            # An event nobody published a text of in these languages is not shown yet.
            events = [e for e in upcoming if fmt.event_text(e, chain)]
            text = (
                "\n\n".join(fmt.event(e, chain) for e in events)
                if events
                else _(
                    "There are no upcoming events in this area yet. Regional staff publish "
                    "them here as soon as they are announced."
                )
            )
            reminders = [fmt.remind_button(e, chain) for e in events[:MAX_REMINDERS]]
            buttons = [*reminders, *faq_buttons, self.menu_button(language)]
            return [Reply(text, language, buttons)]
        if province is None and category not in NATIONAL:
            national = self.content.services(category, None)
            national = [s for s in national if s.province is None]
            text = "\n\n".join(
                [
                    *(fmt.service(s, chain) for s in national),
                    _("{topic}: which province are you in?").format(topic=topic),
                ]
            )
            buttons = [
                Button(name, category_payload(category, code, office))
                for code, name in PROVINCE_NAMES.items()
            ]
            return [Reply(text, language, buttons)]
        services = self.content.services(category, province)
        courses = self.content.courses(province) if category == "language_courses" else []
        where = PROVINCE_NAMES[province] if province else "Italia"
        rows: list[str] = []
        if province is not None and not courses and all(s.province is None for s in services):
            nearest = self.nearest_offices(category, province)
            if nearest is not None:
                near, services = nearest
                rows.append(
                    _(
                        "Nothing is listed for this topic in {place} yet. The nearest offices, "
                        "in {other}:"
                    ).format(place=where, other=PROVINCE_NAMES[near])
                )
                courses = self.content.courses(near) if category == "language_courses" else []
        named, others = named_first(services, office)
        rows += [fmt.service(s, chain) for s in named]
        rows += [fmt.course(c, chain) for c in courses]
        rows += [fmt.service(s, chain) for s in others]
        heading = _("{topic} – {place}").format(topic=topic, place=where)
        body = (
            "\n\n".join(rows)
            if rows
            else _("I have no offices listed for this topic in this area yet.")
        )
        buttons = [
            *faq_buttons,
            Button(_("Talk to a person"), human_payload(category)),
            self.menu_button(language),
        ]
        return [Reply(f"{heading}\n\n{body}", language, buttons)]

    def nearest_offices(self, category: str, province: str) -> tuple[str, list[Service]] | None:
        """The nearest other province with offices of its own for the category, and what a
        person finds there: those offices first, then the regional and national ones."""
        every = self.content.services(category, None)
        near = next((p for p in NEAREST[province] if any(s.province == p for s in every)), None)
        if near is None:
            return None
        return near, [s for s in every if s.province == near] + [
            s for s in every if s.province is None
        ]

    def conversation(self, intent: str, language: str, province: str | None) -> list[Reply]:
        """Greetings, thanks, help, a person, or things the bot does not cover."""
        _ = translations(language).gettext
        menu = self.menu_buttons(language)
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
        if intent == "human":
            intro = Reply(
                _(
                    "To talk to a person, go to the social services of your comune or "
                    "one of the offices below. In an emergency call 112."
                ),
                language,
            )
            return [intro, *self.category_replies("social_services", language, province)]
        return [self.abstain(language, [])]

    def emergency_numbers(self, language: str) -> Reply:
        """The national emergency numbers from the content base: never wait for a person."""
        _ = translations(language).gettext
        rows = [f"☎️ {s.name}" for s in self.content.services("emergency", None) if s.phone]
        return Reply("\n".join([_("In an emergency do not wait, call:"), *rows]), language)

    def abstain(self, language: str, suggestions: Sequence[str]) -> Reply:
        """No answer rather than a wrong one: a person first, then the closest topics."""
        _ = translations(language).gettext
        targets = [
            t for t in dict.fromkeys(suggestions) if t.startswith("faq/") or t in CATEGORIES
        ][:3]
        slugs = [t.removeprefix("faq/") for t in targets if t.startswith("faq/")]
        faq_buttons = dict(zip(slugs, self.faq_buttons(slugs, language), strict=True))
        buttons = [
            faq_buttons[t.removeprefix("faq/")]
            if t.startswith("faq/")
            else Button(category_label(t, language), category_payload(t))
            for t in targets
        ]
        person = Button(_("Talk to a person"), HUMAN)
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
        return Reply(text, language, [person, *(buttons or self.menu_buttons(language))])

    def menu_button(self, language: str) -> Button:
        """Back to the main menu."""
        return Button(translations(language).gettext("Main menu"), MENU)

    def menu_buttons(self, language: str) -> list[Button]:
        """The four main topics."""
        _ = translations(language).gettext
        return [
            Button(_("Services"), SERVICES),
            Button(
                category_label("language_courses", language), category_payload("language_courses")
            ),
            Button(category_label("housing", language), category_payload("housing")),
            Button(category_label("events", language), category_payload("events")),
        ]

    def main_menu(self, language: str) -> Reply:
        """Main menu with a language switch."""
        _ = translations(language).gettext
        buttons = [*self.menu_buttons(language), Button("🌐 " + _("Language"), LANGUAGES)]
        return Reply(
            _("What do you need? Choose a topic or write your question."), language, buttons
        )

    def services_menu(self, language: str) -> Reply:
        """Services sub-menu: permits, health, work, school, legal help, social, emergencies."""
        _ = translations(language).gettext
        buttons = [
            Button(category_label(key, language), category_payload(key)) for key in SERVICE_MENU
        ]
        return Reply(_("Which service?"), language, [*buttons, self.menu_button(language)])

    def languages_menu(self, language: str) -> Reply:
        """The language picker, each language in its own script."""
        _ = translations(language).gettext
        buttons = [
            Button(name, language_payload(code))
            for code, name in NATIVE_NAMES.items()
            if code in self.settings.languages
        ]
        return Reply(_("Choose your language"), language, buttons)


def _listed(category: str, province: str | None) -> bool:
    """Whether an answer on `category` is followed by what there is of it in the province."""
    return province is not None and category in LOCAL
