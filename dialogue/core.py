"""The dialogue core: a message or a button press in, replies with buttons out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError

from content.effects import Count, Effect, Rating, Unanswered
from content.offices import OfficeKinds
from content.places import Place
from content.risks import risks
from content.text import clean, has_letters
from content.voice import VoiceError, VoiceNote
from dialogue.answers import Answers, closest
from dialogue.content import ContentBase, Voices
from dialogue.desk import DeskCards
from dialogue.followup import continues, only_place
from dialogue.language import LanguageDetector
from dialogue.lists import NATIONAL, NEARBY, Lists, fallback_chain
from dialogue.menus import Menus
from dialogue.payloads import (
    AskArea,
    AskPerson,
    ChooseLanguage,
    Listen,
    ListenOffice,
    SetArea,
    ShowCategory,
    ShowDesk,
    ShowDetails,
    ShowFaq,
    ShowLanguages,
    ShowNearby,
    ShowOffice,
    ShowServices,
    Vote,
    decode,
    encode,
)
from dialogue.replies import Button, Handoff, Reply
from dialogue.understanding import Decision, Understander, Understanding
from nlu.risk import Danger
from shared import metrics
from shared.i18n import NATIVE_NAMES, translations
from shared.logs import failure
from shared.settings import Settings
from shared.vocabulary import CATEGORIES, CONVERSATION, PROVINCES
from storage.users import UserState

log = logging.getLogger(__name__)
# The route of a follow-up answered from the conversation ("and in Fermo?"), for the counts.
FOLLOW_UP = "followup"


class RiskCheck(Protocol):
    """Which danger a message shows (`nlu/risk.py`, or a test's own)."""

    def assess(self, text: str) -> Danger | None: ...


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
    state: UserState | None = None  # the chat's state after the turn; None: as it was
    decision: Decision | None = None  # for a question: answered, asked which one, or declined
    offered: list[str] = field(default_factory=list)  # "faq/<slug>" or categories, in order
    danger: Danger | None = None  # whose numbers came first
    effects: list[Effect] = field(default_factory=list)  # for the mediators: counts, votes


async def _stated(answer: Awaitable[Turn], state: UserState) -> Turn:
    """The turn with the state it leaves (an apology leaves none: the state stays as it was)."""
    return replace(await answer, state=state)


class Dialogue:
    """Routes messages and buttons to content, in the user's language."""

    def __init__(
        self,
        understander: Understander,
        content: ContentBase,
        detector: LanguageDetector,
        settings: Settings,
        offices: OfficeKinds,
        risk: RiskCheck,
        voices: Voices,
        record: bool = True,
    ) -> None:
        self.understander = understander
        self.voices = voices
        self.risk = risk
        # After an answer about a danger, a message the bot cannot place is read with it.
        self.danger_faqs = risks().adjacent_faqs()
        self.content = content
        self.detector = detector
        self.settings = settings
        self.offices = offices
        # False for traffic that is not users' (`primm ask`, benchmarks, the admin's "try the
        # bot"): it answers the same but its turns carry no counts, votes or inbox questions.
        self.record = record
        self.menus = Menus(content, settings)
        self.lists = Lists(content, settings, understander.places, self.menus, voices)
        self.answers = Answers(content, settings, self.menus, self.lists, voices)
        self.desk = DeskCards(content, self.lists, self.menus)

    async def handle_text(self, state: UserState, text: object) -> Turn:
        """Answer a free-text message; any input gets a reply, none raises.

        The state given is left as it is: the turn carries the new one, and what to write.
        """
        new = replace(state)
        return await self.guarded(_stated(self._handle_text(new, text), new), state.language)

    async def handle_button(self, state: UserState, payload: str) -> Turn:
        """Answer a button press; unknown payloads get the main menu."""
        new = replace(state)
        return await self.guarded(_stated(self._handle_button(new, payload), new), state.language)

    async def handle_location(self, state: UserState, latitude: float, longitude: float) -> Turn:
        """Answer a shared location with the nearest offices; the location is not kept."""
        return await self.guarded(
            self._located(state.language, latitude, longitude), state.language
        )

    async def _located(self, language: str, latitude: float, longitude: float) -> Turn:
        return Turn([self.lists.nearby_reply(language, latitude, longitude, None)], language)

    async def guarded(self, answer: Awaitable[Turn], language: str) -> Turn:
        """A database failure becomes an apology, never an exception for the front end."""
        try:
            return await answer
        except SQLAlchemyError as error:
            log.error("database error while answering: %s", failure(error))
            return self.apology(language)

    def apology(self, language: str) -> Turn:
        """What the user reads when our side fails: never silence, always the way to help."""
        _ = translations(language).gettext
        text = _(
            "Sorry, something went wrong on our side. Please try again in a minute. "
            "In an emergency call 112."
        )
        return Turn(
            [Reply(text, language, [Button(_("Talk to a person"), encode(AskPerson()))])], language
        )

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
                            "in words, for example: “How do I renew my residence permit?”"
                        ),
                        language,
                        self.menus.menu_buttons(language),
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
        followed = self._follow_up(state, message, language)  # a place alone: no danger in it
        if followed:
            replies += followed
            if language != state.language:
                replies[-1] = self._offer_switch(replies[-1], language)
            counted = Count(language, state.last_category or "none", FOLLOW_UP, True)
            return Turn(replies, language, effects=[counted] if self.record else [])
        # Danger is not a topic: checked on every question, beside the topic decision.
        assessing = asyncio.create_task(self._assess(message))
        understanding = await self.understander.understand(message)
        province = understanding.province or state.province
        confident = self.understander.confident(understanding)
        category = (understanding.intent or "none") if confident else "none"
        metrics.MESSAGES.labels(language, category, understanding.engine).inc()
        # Out of scope is understood but not answered: the mediators may want to cover it.
        decision = self.understander.decide(understanding)
        if decision is Decision.CLARIFY and not understanding.faq and self.offices.named(message):
            # "e la questura a Fermo?": no FAQ, an office named: its list is the answer.
            decision = Decision.ANSWER
        continued = None
        # A short message with no topic of its own ("how much?"), or near covered content but
        # unsure, is read with the last FAQ; one far from everything ("set an alarm for 7")
        # read with it looked like its details, unless that FAQ was about a danger: then
        # "where can I go tonight with my kids?" is better read with it than declined.
        if continues(message, state.last_faq) and (
            decision is Decision.CLARIFY
            or self.understander.follows(understanding)
            or (decision is Decision.DECLINE and state.last_faq in self.danger_faqs)
        ):
            continued = await self._continued(state.last_faq or "", message, language)
        if continued is not None:
            understanding, decision = continued, Decision.ANSWER
        answered = decision is Decision.ANSWER
        intent = understanding.intent
        effects: list[Effect] = [Count(language, intent or "none", understanding.engine, answered)]
        if not answered:  # the mediators may want to cover it
            effects.append(Unanswered(message, language, intent, own_words=True))
        offered: list[str] = []
        if continued is not None and continued.faq and continued.faq == state.last_faq:
            replies.append(self.answers.details_reply(continued.faq, language))
        elif answered:
            office = self.offices.named(message)
            replies += self._route(understanding, language, province, office)
            if understanding.intent in CATEGORIES:
                state.last_category, state.last_office = understanding.intent, office
                state.last_faq = understanding.faq
        elif decision is Decision.CLARIFY:
            options = self.understander.options(understanding)
            offered = [f"faq/{slug}" for slug in options]
            replies.append(self.answers.clarify(language, options))
        else:
            if not confident:
                metrics.FALLBACKS.labels(language).inc()
            offered = closest(understanding.suggestions)
            replies.append(self.answers.abstain(language, offered))
        if language != state.language:
            replies[-1] = self._offer_switch(replies[-1], language)
        asked = answered and understanding.intent == "human" and not understanding.faq
        turn = Turn(
            replies,
            language,
            understanding,
            Handoff(text=message) if asked else None,
            decision=decision,
            offered=offered,
            effects=effects if self.record else [],
        )
        return self._first_danger(turn, await assessing)

    async def _continued(self, slug: str, message: str, language: str) -> Understanding | None:
        """A short message read with the question answered last: answered when sure, or when
        the two together still point first to that FAQ (its details, which the user asked on)."""
        previous = self.content.faq_answer(slug, fallback_chain(self.settings, language))
        if previous is None:
            return None
        together = await self.understander.understand(f"{previous.question} {message}")
        decision = self.understander.decide(together)
        same = decision is Decision.CLARIFY and together.faq == slug
        if not together.faq or (decision is not Decision.ANSWER and not same):
            return None
        return together

    async def _assess(self, message: str) -> Danger | None:
        """The risk check, off the event loop; a failure of it never costs the answer."""
        try:
            return await asyncio.to_thread(self.risk.assess, message)
        except Exception as error:  # a bug in the check must not cost the answer
            log.error("the risk check failed: %s", failure(error))
            return None

    def _first_danger(self, turn: Turn, danger: Danger | None) -> Turn:
        """A person in danger reads the numbers first, whatever else the turn says."""
        if danger is None:
            return turn
        metrics.DANGERS.labels(turn.language, danger.kinds[0], danger.sure).inc()
        turn.replies.insert(0, self.lists.danger_numbers(danger, turn.language))
        turn.danger = danger
        return turn

    async def _handle_button(self, state: UserState, payload: str) -> Turn:
        language = state.language
        match decode(payload):
            case ChooseLanguage(code) if code in self.settings.languages:
                state.language = code
                return Turn([self.menus.main_menu(code)], code)
            case ShowFaq(slug):
                replies = self.answers.faq_replies(slug, language, state.province)
                if category := self.content.faq_category(slug):
                    state.last_category, state.last_office = category, None
                    state.last_faq = slug
                return Turn(replies, language)
            case ShowDetails(slug):
                return Turn([self.answers.details_reply(slug, language)], language)
            case Listen(slug) if self.voices.speaks(language):
                return await self._listen(self.voices.faq, slug, language)
            case ListenOffice(slug) if self.voices.speaks(language):
                return await self._listen(self._office_note, slug, language)
            case ShowDesk(slug, province):
                where = province if province in PROVINCES else state.province
                return Turn([self.desk.card(slug, language, where)], language)
            case ShowOffice(slug):
                return Turn([self.lists.office_reply(slug, language)], language)
            case ShowCategory(category, province, office, kinds) if category in CATEGORIES:
                if province in PROVINCES and state.province is None:
                    state.province = province  # the answer to "which province are you in?"
                chosen = province if province in PROVINCES else state.province
                named = office if office and self.offices.known(office) else None
                state.last_category, state.last_office = category, named
                return Turn(
                    self.lists.category_replies(category, language, chosen, named, kinds),
                    language,
                )
            case AskArea():
                return Turn([self.menus.area_menu(language)], language)
            case SetArea(province, comune):
                return Turn([self._area(state, province, comune)], language)
            case Vote(slug, helpful) if category := self.content.faq_category(slug):
                reply = self.answers.feedback_reply(helpful, language)
                return Turn(
                    [reply], language, effects=self._vote(slug, category, helpful, language)
                )
            case ShowNearby(category, latitude, longitude) if category in NEARBY:
                return Turn(
                    [self.lists.nearby_reply(language, latitude, longitude, category)], language
                )
            case ShowServices():
                return Turn([self.menus.services_menu(language)], language)
            case ShowLanguages():
                return Turn([self.menus.languages_menu(language)], language)
            case AskPerson(category):
                topic = category if category in CATEGORIES else None
                replies = self.answers.conversation("human", language, state.province)
                if topic in NATIONAL:
                    replies.append(self.lists.emergency_numbers(language))
                return Turn(replies, language, handoff=Handoff(topic))
        return Turn([self.menus.main_menu(language)], language)

    def _vote(self, slug: str, category: str, helpful: bool, language: str) -> list[Effect]:
        """Keep the vote (anonymous); a 👎 puts the FAQ's question in the inbox, standing for
        the user's own words (not kept past their message): the mediators see what fell short."""
        if not self.record:
            return []
        rating = Rating(f"faq/{slug}", language, helpful)
        if helpful:
            return [rating]
        answer = self.content.faq_answer(slug, fallback_chain(self.settings, language))
        question = answer.question if answer else slug
        return [rating, Unanswered(question, language, category, f"faq/{slug}")]

    async def _listen(
        self, note: Callable[[str, str], VoiceNote | None], slug: str, language: str
    ) -> Turn:
        """An FAQ's or office's voice note, made off the event loop on the first tap and kept."""
        try:
            made = await asyncio.to_thread(note, slug, language)
        except VoiceError as error:
            log.error("%s", error)
            return self.apology(language)
        if made is None:  # nothing to read in this language (any more)
            return Turn([self.menus.main_menu(language)], language)
        return Turn([Reply("", language, voice=made)], language)

    def _office_note(self, slug: str, language: str) -> VoiceNote | None:
        text = self.lists.office_speech(slug, language)
        return self.voices.office(slug, text, language) if text else None

    def _route(
        self,
        understanding: Understanding,
        language: str,
        province: str | None,
        office: str | None,
    ) -> list[Reply]:
        if understanding.faq:
            return self.answers.faq_replies(understanding.faq, language, province, office)
        intent = understanding.intent or ""
        if intent in CONVERSATION:
            return self.answers.conversation(intent, language, province)
        return self.lists.category_replies(intent, language, province, office)

    def _follow_up(self, state: UserState, message: str, language: str) -> list[Reply]:
        """A message naming only a place ("and in Fermo?"): the last topic there; else nothing."""
        category = state.last_category
        place = only_place(message, self.understander.places) if category in CATEGORIES else None
        if category is None or place is None:
            return []
        metrics.MESSAGES.labels(language, category, FOLLOW_UP).inc()
        chain = fallback_chain(self.settings, language)
        answered = state.last_faq and self.content.faq_answer(state.last_faq, chain)
        kinds = answered.offices if answered and answered.category == category else ()
        return self.lists.category_replies(
            category, language, place.province, state.last_office, kinds
        )

    def _offer_switch(self, reply: Reply, language: str) -> Reply:
        _ = translations(language).gettext
        switch = Button(
            _("Continue in {language}").format(language=NATIVE_NAMES[language]),
            encode(ChooseLanguage(language)),
        )
        return Reply(reply.text, reply.language, [*reply.buttons, switch])

    def _area(self, state: UserState, province: str, comune: str | None) -> Reply:
        if province in PROVINCES and comune is None:
            state.province, state.comune = province, None
            return self.menus.town_menu(province, state.language)
        place = self.understander.places.comune(comune) if comune else None
        if place is not None and place.province == province:
            return self._set_area(state, place)
        return self.menus.main_menu(state.language)

    def _set_area(self, state: UserState, place: Place) -> Reply:
        """Keep the user's comune and province and say so, with the main menu."""
        state.province, state.comune = place.province, place.comune
        _ = translations(state.language).gettext
        menu = self.menus.main_menu(state.language)
        done = _("Your area: {place} ({province}). I will show you the offices there.").format(
            place=place.comune, province=place.province
        )
        return Reply(f"{done}\n\n{menu.text}", state.language, menu.buttons)
