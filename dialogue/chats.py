"""A chat's turns: its state loaded and kept, and the flows that keep data about it.

Every front end talks to the bot through here, so Telegram, the terminal chat and the admin's
"try the bot" offer the same commands, subscriptions and reminders. Nothing is kept before the
chat agrees to the privacy notice: until then its state lives only in the front end's hands.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from content.effects import Effect, apply
from dialogue.core import Dialogue, Turn
from dialogue.dates import bare, looks_like_date
from dialogue.format import event_text
from dialogue.links import is_link, link
from dialogue.lists import fallback_chain
from dialogue.payloads import (
    AskArea,
    CancelPermit,
    ChooseLanguage,
    Consent,
    DeleteData,
    Follow,
    Payload,
    RemindEvent,
    SetArea,
    ShowLanguages,
    SkipArea,
    StopPermit,
    decode,
    encode,
)
from dialogue.privacy import confirm_delete, deleted, mydata, picker, privacy
from dialogue.relay import Desk, Relay
from dialogue.reminders import (
    ask_permit,
    event_reminded,
    permit_cancelled,
    permit_saved,
    permit_stopped,
    read_permit,
    still_waiting,
    waiting,
)
from dialogue.replies import Reply
from dialogue.subscriptions import confirmation, following, subscribe_menu, unsubscribe_menu
from dialogue.understanding import Decision
from shared import metrics
from shared.clock import now
from shared.logs import failure
from storage.handoff import TicketStore
from storage.links import LinkStore
from storage.reminders import ReminderStore
from storage.subscriptions import SubscriptionStore, Topic
from storage.users import UserState, UserStore, save_state

log = logging.getLogger(__name__)

# The commands every front end offers, in the order of Telegram's menu.
COMMANDS = (
    "start",
    "menu",
    "language",
    "area",
    "events",
    "subscribe",
    "unsubscribe",
    "permit",
    "help",
    "privacy",
    "mydata",
    "deletedata",
)
# Commands that keep something about the chat: the privacy notice and its consent come first.
KEEPING = ("language", "area", "subscribe", "unsubscribe", "permit")
# What the core remembers of the conversation: losing it costs a follow-up, not the answer.
MEMORY = ("last_category", "last_office", "last_faq")
# What `NOT_KEPT` counts when a turn's writes for the mediators fail.
TURN_WRITES = "the turn's counts"
# The area menus' buttons, each of which keeps the chat's province or town.
AREA = (AskArea, SkipArea, SetArea)


def keeps_data(payload: Payload | None) -> bool:
    """A button whose answer keeps data about the chat: it needs consent first."""
    return isinstance(payload, (ShowLanguages, ChooseLanguage, Follow, RemindEvent, *AREA))


class Chats:
    """The dialogue core per chat, over the stores of what is kept about it."""

    def __init__(self, dialogue: Dialogue, sessions: sessionmaker[Session]) -> None:
        self.dialogue = dialogue
        self.sessions = sessions
        self.languages = dialogue.settings.languages
        self.users = UserStore(sessions)
        self.subscriptions = SubscriptionStore(sessions)
        self.reminders = ReminderStore(sessions)
        self.tickets = TicketStore(sessions)
        self.links = LinkStore(sessions)
        self.relay = Relay(dialogue, self.tickets, self.users)

    def state(self, chat_id: int, fallback: UserState) -> UserState:
        """The chat's kept state, or the front end's own for a chat that has not agreed."""
        return self.users.load(chat_id) or fallback

    async def text(
        self, chat_id: int, fallback: UserState, text: object, desk: Desk | None = None
    ) -> Turn:
        """A message: to the mediators while the chat talks to a person (with a `desk`: where
        they read), the permit's date when the bot asked for it, else a question."""
        return await self.dialogue.guarded(
            self._text_or_relayed(chat_id, fallback, text, desk), fallback.language
        )

    async def button(
        self, chat_id: int, fallback: UserState, payload: str, desk: Desk | None = None
    ) -> Turn:
        """A button press; one that keeps data shows the privacy notice to a new chat."""
        return await self.dialogue.guarded(
            self._pressed(chat_id, fallback, payload, desk), fallback.language
        )

    async def command(self, chat_id: int, fallback: UserState, name: str, args: str) -> Turn:
        """One of `COMMANDS`, with what the user wrote after it; any other gets the menu."""
        return await self.dialogue.guarded(
            self._command_turn(chat_id, fallback, name, args), fallback.language
        )

    async def _text_or_relayed(
        self, chat_id: int, fallback: UserState, text: object, desk: Desk | None
    ) -> Turn:
        if desk is not None and isinstance(text, str):
            relayed = await self.relay.wrote(chat_id, text, desk)
            if relayed is not None:
                return Turn(relayed, fallback.language)
        return await self._handed(chat_id, await self._text(chat_id, fallback, text), desk)

    async def _pressed(
        self, chat_id: int, fallback: UserState, payload: str, desk: Desk | None
    ) -> Turn:
        if decode(payload) == DeleteData(True):
            # The mediators learn the conversation ended before its ticket goes with the user.
            await self.relay.close_for_user(chat_id, desk)
        return await self._handed(chat_id, await self._button(chat_id, fallback, payload), desk)

    async def _handed(self, chat_id: int, turn: Turn, desk: Desk | None) -> Turn:
        """A turn that asks for a person opens a conversation, where mediators read one."""
        if desk is None or turn.handoff is None:
            return turn
        return replace(turn, replies=await self.relay.replies(chat_id, turn, desk))

    async def _text(self, chat_id: int, fallback: UserState, text: object) -> Turn:
        stored = await asyncio.to_thread(self.users.load, chat_id)
        before = stored or fallback
        state = replace(before, asked_permit_at=None)
        asked_at = before.asked_permit_at
        if stored is not None and isinstance(text, str) and waiting(asked_at, now()):
            turn = await self._while_waiting(chat_id, state, text, asked_at)
        else:
            turn = await self.dialogue.handle_text(state, text)
        return await self._kept(chat_id, stored is not None, before, state, turn)

    async def _while_waiting(
        self, chat_id: int, state: UserState, text: str, asked_at: datetime | None
    ) -> Turn:
        """/permit asked for the date: a date-like text is read as it, any other is a question.

        The wait goes on after a question, and after a date that cannot be kept (another try);
        a question the bot cannot answer may have been the date, so the format comes again.
        """
        language = state.language
        if looks_like_date(text, language) and (
            bare(text, language) or not await self._in_danger(text)
        ):
            return Turn([await asyncio.to_thread(self._permit, chat_id, text, state)], language)
        state.asked_permit_at = asked_at
        turn = await self.dialogue.handle_text(state, text)
        if turn.decision is not Decision.ANSWER and turn.danger is None:
            turn.replies.append(still_waiting(turn.language))
        return turn

    async def _in_danger(self, text: str) -> bool:
        """A sentence about danger goes to the core for its numbers, even with a date in it.

        Asked only of texts with words around the date: the check reads danger into some bare
        dates ("15 marzo 2031" came out as a child in danger).
        """
        try:
            return await asyncio.to_thread(self.dialogue.risk.assess, text) is not None
        except Exception as error:  # a bug in the check must not cost the date
            log.error("the risk check failed: %s", failure(error))
            return False

    async def _button(self, chat_id: int, fallback: UserState, payload: str) -> Turn:
        stored = await asyncio.to_thread(self.users.load, chat_id)
        before = stored or fallback
        state = replace(before)
        choice = decode(payload)
        language = state.language
        match choice:
            case Consent(code):
                turn = await self._consent(chat_id, state, code)
            case DeleteData(confirmed):
                found = confirmed and await asyncio.to_thread(self.users.delete, chat_id)
                return Turn([deleted(language, confirmed, found)], language, state=state)
            case StopPermit():
                await asyncio.to_thread(self.reminders.forget_permit, chat_id)
                state.asked_permit_at = None
                turn = Turn([permit_stopped(language)], language)
            case CancelPermit():
                state.asked_permit_at = None
                turn = Turn([permit_cancelled(language)], language)
            case _ if stored is None and keeps_data(choice):
                wanted = choice.code if isinstance(choice, ChooseLanguage) else None
                shown = wanted if wanted in self.languages else language
                turn = Turn([picker(self.languages, shown)], language)
            case Follow(topic, on) if topic in set(Topic):
                followed = await asyncio.to_thread(
                    self._follow, chat_id, Topic(topic), on, language
                )
                turn = Turn([followed], language)
            case RemindEvent(event_id):
                chain = fallback_chain(self.dialogue.settings, language)
                event = await asyncio.to_thread(
                    self.reminders.remind_event,
                    chat_id,
                    event_id,
                    now(),
                    lambda row: event_text(row, chain) is not None,
                )
                turn = Turn([event_reminded(language, event)], language)
            case _:
                turn = await self.dialogue.handle_button(state, payload)
        return await self._kept(chat_id, stored is not None, before, state, turn)

    async def _command_turn(self, chat_id: int, fallback: UserState, name: str, args: str) -> Turn:
        stored = await asyncio.to_thread(self.users.load, chat_id)
        before = stored or fallback
        state = replace(before)
        replies = await asyncio.to_thread(
            self._command, chat_id, state, stored is not None, name, args.strip()
        )
        turn = Turn(replies, state.language)
        return await self._kept(chat_id, stored is not None, before, state, turn)

    def _command(
        self, chat_id: int, state: UserState, agreed: bool, name: str, args: str
    ) -> list[Reply]:
        language, province = state.language, state.province
        lists, menus, answers = self.dialogue.lists, self.dialogue.menus, self.dialogue.answers
        if name == "start" and is_link(args):
            return [link(self.links, chat_id, args, language)]
        if name == "start" or (name in KEEPING and not agreed):
            return [picker(self.languages, language)]
        match name:
            case "language":
                return [menus.languages_menu(language)]
            case "area":
                return [menus.area_menu(language)]
            case "events":
                return lists.category_replies("events", language, province)
            case "help":
                return answers.conversation("help", language, province)
            case "privacy":
                return [privacy(language, self.dialogue.settings.retention_days)]
            case "mydata":
                return [self._mydata(chat_id, language)]
            case "deletedata":
                return [confirm_delete(language)]
            case "subscribe":
                return [subscribe_menu(language, self.subscriptions.topics(chat_id))]
            case "unsubscribe":
                return [unsubscribe_menu(language, self.subscriptions.topics(chat_id))]
            case "permit" if args:
                return [self._permit(chat_id, args, state)]
            case "permit":
                state.asked_permit_at = now()
                return [ask_permit(language, self.reminders.permit(chat_id))]
        return [menus.main_menu(language)]

    async def _consent(self, chat_id: int, state: UserState, code: str) -> Turn:
        """The notice's language button: agreement, kept now, then the optional area."""
        turn = await self.dialogue.handle_button(state, encode(ChooseLanguage(code)))
        chosen = turn.state or state
        if chosen.language != code:  # not a language we speak: the notice again
            return Turn([picker(self.languages, state.language)], state.language)
        await asyncio.to_thread(self.users.consent, chat_id, chosen)
        return Turn([self.dialogue.menus.area_menu(code)], turn.language, state=chosen)

    def _follow(self, chat_id: int, topic: Topic, on: bool, language: str) -> Reply:
        if on:
            self.subscriptions.follow(chat_id, topic)
        else:
            self.subscriptions.unfollow(chat_id, topic)
        shown = following(language, self.subscriptions.topics(chat_id))
        return Reply(f"{confirmation(language, topic, on)}\n\n{shown}", language)

    def _permit(self, chat_id: int, typed: str, state: UserState) -> Reply:
        """Keep the date typed, or wait for another try at it."""
        read = read_permit(typed, state.language)
        if not isinstance(read, date):
            state.asked_permit_at = now()
            return read
        self.reminders.set_permit(chat_id, read)
        return permit_saved(state.language, read)

    def _mydata(self, chat_id: int, language: str) -> Reply:
        user = self.users.row(chat_id)
        return mydata(
            user.language if user else language,
            user,
            self.subscriptions.topics(chat_id),
            self.tickets.of_chat(chat_id),
            self.reminders.permit(chat_id),
            self.reminders.events(chat_id),
        )

    async def _kept(
        self, chat_id: int, agreed: bool, before: UserState, state: UserState, turn: Turn
    ) -> Turn:
        """Write what the turn changed in one transaction, off the event loop; the turn then
        carries the chat's state (the core's, else the one this door changed).

        Only a chat that agreed keeps its state. A failed write: the counts and the inbox are
        for the mediators and never cost the answer; the chat's choices are tried once more
        alone, and an apology comes only when a language or an area chosen is lost (the topic
        kept for a follow-up is not worth one).
        """
        after = turn.state or state
        changed = agreed and after != before
        if changed or turn.effects:
            try:
                await asyncio.to_thread(
                    self._write, chat_id, agreed, after if changed else None, turn.effects
                )
            except SQLAlchemyError as error:
                if turn.effects:
                    metrics.NOT_KEPT.labels(TURN_WRITES).inc()
                    log.error("the turn's counts were not kept: %s", failure(error))
                if changed:
                    await self._save_alone(chat_id, before, after)
        return replace(turn, state=after)

    def _write(
        self, chat_id: int, agreed: bool, state: UserState | None, effects: list[Effect]
    ) -> None:
        """The turn's writes, all or none."""
        with self.sessions.begin() as session:
            if state is not None:
                save_state(session, chat_id, state)
            apply(session, effects, chat_id if agreed else None, now())

    async def _save_alone(self, chat_id: int, before: UserState, after: UserState) -> None:
        try:
            await asyncio.to_thread(self.users.save, chat_id, after)
        except SQLAlchemyError as error:
            if replace(after, **{name: getattr(before, name) for name in MEMORY}) != before:
                raise
            log.error("the conversation's topic was not kept: %s", failure(error))
