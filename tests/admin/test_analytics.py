"""Analytics figures equal what the raw rows say, on both backends, on the page and in the CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine, select

from admin import analytics
from admin.app import create_app
from content.repository import published_translations
from dialogue.app import build_dialogue
from dialogue.chats import Chats
from dialogue.payloads import Vote, encode
from nlu.client import Parse
from shared.clock import today
from shared.settings import Settings
from storage.content import Faq
from storage.inbox import InboxQuestion
from storage.subscriptions import Announcement, AnnouncementStatus, Delivery, DeliveryState
from storage.users import BotUser, Feedback, UserState
from testbed.fakes import FakeNlu
from tests.admin.conftest import make_parts
from tests.support.admin import PASSWORD, SECRET, login
from tests.support.conversation import NEW_CHAT

# (language of the user, text): Rasa knows some, others it is unsure of; then Rasa is down.
ASKED = [
    ("it", "come rinnovo il permesso di soggiorno"),
    ("it", "dove imparo l'italiano ad ancona"),
    ("it", "posso portare il cane sul treno regionale?"),
    ("en", "how do I renew my residence permit"),
    ("en", "where can my kid play football on sunday"),
    ("ar", "كيف اجدد تصريح الاقامة"),
    ("ar", "أين أجد نادي شطرنج"),
    ("zh", "怎么续签居留许可"),
    ("zh", "哪里可以买到中国调料"),
]


def asker(chats: Chats, raw: list[tuple[str, str, str, bool]]):
    """Asks as a new chat through the front ends' door and notes each message's route."""

    async def ask(language: str, text: str) -> None:
        turn = await chats.text(NEW_CHAT, UserState(language), text)
        understanding = turn.understanding
        assert understanding is not None
        answered = chats.dialogue.understander.answers(understanding)
        raw.append((turn.language, understanding.intent or "none", understanding.engine, answered))

    return ask


async def test_figures_equal_the_raw_rows_on_both_backends(
    settings: Settings, seeded_both: Engine, tmp_path: Path
) -> None:
    parts = make_parts(settings, seeded_both, FakeNlu(), "http://127.0.0.1:9")
    with parts.sessions() as session:
        faq = session.scalars(select(Faq).where(Faq.slug == "permit_renewal")).one()
        questions = {lang: t.question for lang, t in published_translations(faq).items()}
    renewal = Parse("faq", 0.97, [("faq", 0.97)], "permit_renewal", 0.95)
    courses = Parse("language_courses", 0.9, [("language_courses", 0.9)])
    known = {text: renewal for _, text in ASKED if "permesso" in text or "permit" in text}
    known |= {ASKED[5][1]: renewal, ASKED[7][1]: renewal, ASKED[1][1]: courses}
    raw: list[tuple[str, str, str, bool]] = []
    ask = asker(
        Chats(build_dialogue(settings, parts.sessions, FakeNlu(known)), parts.sessions), raw
    )
    for language, text in ASKED:
        await ask(language, text)
    down = asker(
        Chats(build_dialogue(settings, parts.sessions, FakeNlu(down=True)), parts.sessions), raw
    )
    for language, text in [("it", questions["it"]), ("en", "bus timetable on sundays")]:
        await down(language, text)
    assert {row[3] for row in raw} == {True, False} and {row[2] for row in raw} == {
        "rasa",
        "search",
    }

    chats = Chats(build_dialogue(settings, parts.sessions, FakeNlu()), parts.sessions)
    for language, helpful in [("it", True), ("it", False), ("ar", False), ("zh", True)]:
        vote = encode(Vote("permit_renewal", helpful))
        await chats.button(NEW_CHAT, UserState(language), vote)

    now = datetime.now(UTC)
    with parts.sessions.begin() as session:
        session.add_all(BotUser(chat_id=n, language="it", consented_at=now) for n in range(1, 9))
        session.add(
            Announcement(
                texts={"it": "x"}, send_at=now, status=AnnouncementStatus.DONE, created_by="e"
            )
        )
        session.flush()
        announcement = session.scalars(select(Announcement.id)).one()
        states = [DeliveryState.SENT] * 4 + [
            DeliveryState.FAILED,
            DeliveryState.BLOCKED,
            DeliveryState.UNCERTAIN,
            DeliveryState.PENDING,
        ]
        session.add_all(
            Delivery(announcement_id=announcement, chat_id=n + 1, language="it", state=state)
            for n, state in enumerate(states)
        )

    day = today()
    with parts.sessions() as session:
        report = analytics.report(session, day, day)
        votes = Counter((row.language, row.helpful) for row in session.scalars(select(Feedback)))
        reach = Counter(row.state.value for row in session.scalars(select(Delivery)))
        inbox = session.scalars(select(InboxQuestion)).all()

    assert report.total.questions == len(raw)
    assert report.total.answered == sum(1 for row in raw if row[3])
    assert report.total.fallback == sum(1 for row in raw if row[2] == "search")
    by_language = Counter(row[0] for row in raw)
    assert {k: t.questions for k, t in report.by_language.items()} == dict(by_language)
    by_category = Counter(row[1] for row in raw)
    assert {k: t.questions for k, t in report.by_category.items()} == dict(by_category)
    answered = Counter(row[1] for row in raw if row[3])
    assert {k: t.answered for k, t in report.by_category.items() if t.answered} == dict(answered)
    assert report.by_day == {day: dict(by_language)}
    assert {(lang, h): n for lang, v in report.votes.items() for h, n in v.items() if n} == dict(
        votes
    )
    assert report.votes_total(True) == 2 and report.votes_total(False) == 2
    assert {k: v for k, v in report.reach.items() if v} == dict(reach)
    # Every unsure question and every 👎 is in the inbox, with no trace of who asked but the
    # link that /deletedata follows to delete a chat's questions with it.
    assert len(inbox) == sum(1 for row in raw if not row[3]) + 2
    assert {column.name for column in InboxQuestion.__table__.columns} == {
        "id",
        "chat_id",
        "text",
        "language",
        "category",
        "topic",
        "created_at",
        "faq_slug",
        "converted_at",
    }

    app = create_app(settings, parts, SECRET)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://admin.test"
    ) as client:
        await login(client, "mediator", PASSWORD)
        page = (await client.get("/analytics?days=7")).text
        assert f'data-testid="total-questions">{len(raw)}<' in page
        exported = await client.get("/analytics.csv?days=7")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert sum(int(row["questions"]) for row in rows) == len(raw)
    exported_routes = Counter()
    for row in rows:
        key = (row["language"], row["category"], row["engine"], row["answered"] == "1")
        exported_routes[key] += int(row["questions"])
    assert exported_routes == Counter(raw)
