"""A database that looks lived in: every route in every language, votes, handoffs, reminders,
announcements and proposals in every state, conversions from the inbox, training runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from admin import faqs, inbox
from admin.auth import create_user
from content.repository import latest_translations
from content.schema import FaqDoc
from dialogue.app import build_dialogue
from dialogue.chats import Chats
from dialogue.payloads import AskPerson, Vote, encode
from nlu.client import Parse
from nlu.wire import FALLBACK_INTENT, RETRIEVAL_INTENT
from shared.settings import Settings
from shared.vocabulary import CATEGORIES, CONVERSATION
from storage.admin import EventProposal, ProposalStatus, Role, RunStatus, TrainingRun
from storage.content import Event, Faq, IntentExamples, TranslationStatus
from storage.handoff import TicketStore
from storage.inbox import InboxQuestion
from storage.reminders import EventReminder, PermitReminder
from storage.subscriptions import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    Delivery,
    DeliveryState,
    Subscription,
    Topic,
)
from storage.users import UserState, UserStore
from testbed.fakes import FakeNlu
from tests.support.admin import PASSWORD
from tests.support.conversation import NEW_CHAT

INTENTS = (*CATEGORIES, *CONVERSATION)
FAQ = "permit_renewal"


@dataclass(frozen=True)
class Asked:
    """A user's message and what the fake Rasa makes of it."""

    language: str
    text: str
    parse: Parse


def _examples(session: Session, language: str) -> dict[str, list[str]]:
    """The seed's examples of each intent in a language (FAQ questions stand in for categories)."""
    found = {
        row.intent: list(row.examples)
        for row in session.scalars(
            select(IntentExamples).where(IntentExamples.language == language)
        )
    }
    for faq in session.scalars(select(Faq).order_by(Faq.id)):
        own = latest_translations(faq).get(language)
        if own is not None:
            found.setdefault(faq.category_key, []).append(own.question)
    return found


def _asked(sessions: sessionmaker[Session], languages: list[str]) -> list[Asked]:
    """What users ask and the fake Rasa says: each intent's first example sure, the next unsure."""
    asked: list[Asked] = []
    with sessions() as session:
        renewal = latest_translations(session.scalars(select(Faq).where(Faq.slug == FAQ)).one())
        for language in languages:
            examples = _examples(session, language)
            for intent in INTENTS:
                sure, unsure = [*examples.get(intent, []), f"{intent} {language}", "-"][:2]
                asked.append(Asked(language, sure, Parse(intent, 0.95, [(intent, 0.95)])))
                runner_up = [(FALLBACK_INTENT, 0.3), (intent, 0.2)]
                unsure_parse = Parse(FALLBACK_INTENT, 0.3, runner_up)
                asked.append(Asked(language, f"{unsure} ?", unsure_parse))
            faq = Parse(RETRIEVAL_INTENT, 0.97, [(RETRIEVAL_INTENT, 0.97)], FAQ, 0.95)
            asked.append(Asked(language, renewal[language].question, faq))
    return asked


async def questions(settings: Settings, sessions: sessionmaker[Session]) -> None:
    """Every intent sure and unsure in every language, an FAQ, votes, a person; then no Rasa."""
    languages = list(settings.languages)
    asked = _asked(sessions, languages)
    dialogue = build_dialogue(settings, sessions, FakeNlu({a.text: a.parse for a in asked}))
    chats = Chats(dialogue, sessions)
    for item in asked:
        await chats.text(NEW_CHAT, UserState(item.language), item.text)
        if item.parse.faq:
            for helpful in (True, False):
                vote = encode(Vote(item.parse.faq, helpful))
                await chats.button(NEW_CHAT, UserState(item.language), vote)
    for language in languages:
        await chats.button(NEW_CHAT, UserState(language), encode(AskPerson()))
        await chats.text(NEW_CHAT, UserState(language), "🙂 ?!")
        await chats.text(NEW_CHAT, UserState(language), "x" * 5000)
    offline = Chats(build_dialogue(settings, sessions, FakeNlu(down=True)), sessions)
    for item in asked[::7]:
        await offline.text(NEW_CHAT, UserState(item.language), item.text)


def events(sessions: sessionmaker[Session]) -> None:
    """Events past and coming, regional and in a province, written in a few languages."""
    now = datetime.now(UTC)
    with sessions.begin() as session:
        for n, days in enumerate((-10, 2, 9, 30)):
            texts = {"it": {"title": f"Incontro {n}", "text": "Sportello aperto."}}
            if n % 2:
                texts["ar"] = {"title": f"لقاء {n}", "text": "مكتب مفتوح."}
            session.add(
                Event(
                    slug=f"event_{n}",
                    translations=texts,
                    starts_at=now + timedelta(days=days),
                    ends_at=now + timedelta(days=days, hours=2) if n % 2 else None,
                    place="Piazza Roma" if n else None,
                    province="AN" if n % 2 else None,
                    organiser="Comune di Ancona",
                    source_url="https://www.comune.ancona.it/",
                )
            )


def users_and_handoffs(settings: Settings, sessions: sessionmaker[Session]) -> list[int]:
    """Consented chats in every language, with subscriptions and tickets in every state."""
    users, tickets = UserStore(sessions), TicketStore(sessions)
    now = datetime.now(UTC)
    chats = []
    for n, language in enumerate(settings.languages, start=1):
        state = UserState(language, "AN" if n % 2 else None, "Ancona" if n % 2 else None)
        users.consent(n, state)
        chats.append(n)
        ticket = tickets.request(n, state, now)
        if n % 3 != 0:
            tickets.posted(ticket.id, [1000 + n], now)
        if n % 3 == 2:
            tickets.close(ticket.id, now)
    with sessions.begin() as session:
        session.add_all(Subscription(chat_id=n, topic=list(Topic)[n % len(Topic)]) for n in chats)
        session.add(PermitReminder(chat_id=1, expires_on=(now + timedelta(days=40)).date()))
        event = session.scalars(select(Event).order_by(Event.id)).first()
        if event is not None:
            session.add(EventReminder(chat_id=2, event_id=event.id))
    return chats


def announcements(sessions: sessionmaker[Session], chats: list[int]) -> None:
    """One announcement per state and kind, texts in some languages, every delivery state."""
    now = datetime.now(UTC)
    with sessions.begin() as session:
        event = session.scalars(select(Event).order_by(Event.id)).first()
        for n, status in enumerate(AnnouncementStatus):
            for kind in AnnouncementKind:
                row = Announcement(
                    kind=kind,
                    key=f"{kind.value}-{status.value}"
                    if kind is not AnnouncementKind.ANNOUNCEMENT
                    else None,
                    event_id=event.id
                    if event and kind is AnnouncementKind.EVENT_REMINDER
                    else None,
                    texts={"it": f"Avviso {n}", "ar": f"إعلان {n}", "zh": f"通知 {n}"},
                    statuses={"it": "published", "ar": "draft", "zh": "reviewed"},
                    provinces=["AN"] if n % 2 else [],
                    languages=["it", "ar"] if n % 3 else [],
                    topics=[Topic.EVENTS.value],
                    send_at=now + timedelta(hours=n - 2),
                    status=status,
                    fallback_language="it" if n % 2 else None,
                    created_by="editor",
                )
                session.add(row)
                session.flush()
                if status in (AnnouncementStatus.DRAFT, AnnouncementStatus.CANCELLED):
                    continue
                session.add_all(
                    Delivery(
                        announcement_id=row.id,
                        chat_id=chat,
                        language="it",
                        province="AN" if chat % 2 else None,
                        state=list(DeliveryState)[chat % len(DeliveryState)],
                        reason="blocked by the user" if chat % 5 == 3 else None,
                        attempts=chat % 3,
                        sent_at=now if chat % 5 == 1 else None,
                    )
                    for chat in chats
                )


def mediators_work(sessions: sessionmaker[Session]) -> None:
    """What a few days of the tool leave: conversions, a new FAQ, an outdated text, runs."""
    now = datetime.now(UTC)
    with sessions.begin() as session:
        open_questions = list(session.scalars(select(InboxQuestion).order_by(InboxQuestion.id)))
        faq = faqs.load_faq(session, FAQ)
        assert faq is not None and open_questions
        inbox.mark(open_questions[:3], FAQ)
        doc = FaqDoc.model_validate(
            {
                "slug": "fishing_licence",
                "category": "work",
                "source_url": "https://www.regione.marche.it/",
                "translations": {
                    "ur": {
                        "question": "مچھلی پکڑنے کا لائسنس",
                        "answer": "ابھی لکھا جا رہا ہے۔",
                        "examples": [],
                        "status": "draft",
                    }
                },
            }
        )
        inbox.create_faq(session, doc)
        inbox.mark(open_questions[3:5], doc.slug)
        source = latest_translations(faq)["it"]
        draft = faqs.Draft(
            source.question,
            source.answer + " (aggiornato)",
            source.examples,
            TranslationStatus.DRAFT,
        )
        faqs.add_version(session, faq, "it", draft)
        for status in RunStatus:
            session.add(
                TrainingRun(
                    started_by="mediator",
                    started_at=now - timedelta(minutes=10),
                    finished_at=None if status is RunStatus.RUNNING else now,
                    status=status,
                    model="nlu/models/x.tar.gz" if status is RunStatus.SUCCEEDED else None,
                    log="training…\n",
                )
            )
        event = session.scalars(select(Event).order_by(Event.id)).first()
        for status in ProposalStatus:
            session.add(
                EventProposal(
                    proposed_by="association",
                    status=status,
                    payload={
                        "slug": f"proposal_{status.value}",
                        "translations": {"it": {"title": "Festa", "text": "In piazza."}},
                        "starts_at": (now + timedelta(days=3)).isoformat(),
                        "source_url": "https://www.comune.ancona.it/",
                    },
                    event_id=event.id if event and status is ProposalStatus.APPROVED else None,
                )
            )
        inactive = create_user(session, "former", PASSWORD, Role.MEDIATOR)
        inactive.active = False


async def fill(settings: Settings, sessions: sessionmaker[Session]) -> None:
    """All of the above, in the order real use would leave it."""
    events(sessions)
    await questions(settings, sessions)
    chats = users_and_handoffs(settings, sessions)
    announcements(sessions, chats)
    mediators_work(sessions)
