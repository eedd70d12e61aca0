"""The weekly digest of stale facts: scheduled in the bot's job queue, sent to the mediators."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.app import BotApplication
from bot.digest import DIGEST
from content.inbox import count_message
from content.staleness import stale_facts, stale_rows
from dialogue.digest import FIRST_FACTS, digest_reply
from shared.clock import ROME, today
from shared.settings import DigestSettings, HandoffSettings
from storage.content import Category, Service
from testbed.botapi import BotApiEmulator
from tests.support.telegram import polling

GROUP = -1009876543210


def add_services(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.add(Category(key="health", position=1))
        for slug, age in (("fresh", 5), ("old", 200), ("never", None)):
            session.add(
                Service(
                    slug=slug,
                    name=f"Ambulatorio {slug}",
                    category_key="health",
                    phone="071 000" if slug == "never" else None,
                    source_url="https://example.org",
                    verified_on=None if age is None else today() - timedelta(days=age),
                )
            )
        # People asked about health this week: the counts alone, as the analytics keep them.
        count_message(session, today(), "ar", "health", "rasa", True)


async def test_digest_goes_to_the_group_at_the_configured_time(
    emulator: BotApiEmulator,
    make_bot: Callable[..., BotApplication],
    sessions: sessionmaker[Session],
) -> None:
    emulator.group(GROUP, "Mediatori PRIMM")
    add_services(sessions)
    application = make_bot(
        handoff=HandoffSettings(group_chat_id=GROUP),
        digest=DigestSettings(stale_after_days=90, weekday=2, at=time(8, 30)),
    )
    async with polling(application):
        assert application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name(DIGEST)
        assert job.next_t is not None
        due = job.next_t.astimezone(ROME)
        assert (due.weekday(), due.time()) == (2, time(8, 30)), "Wednesday 08:30 in Rome"
        await job.run(application)
    [sent] = emulator.chat(GROUP)
    with sessions() as session:
        rows = stale_rows(session, today(), 90)
        facts = stale_facts(session, today(), 90, FIRST_FACTS)
    assert [row.slug for row in rows] == ["never", "old"]
    assert sent["text"] == digest_reply(rows, facts, today(), "it", 90).text
    assert "• Ambulatorio never: ☎️ Telefono: 071 000 – mai verificato" in sent["text"]
    assert "• Ambulatorio never (servizio): mai verificato" in sent["text"]
    assert "• Ambulatorio old (servizio): verificato 7 mesi fa" in sent["text"]
    assert "fresh" not in sent["text"]
    assert emulator.errors == []


async def test_no_group_no_digest(make_bot: Callable[..., BotApplication]) -> None:
    application = make_bot()
    assert application.job_queue is not None
    assert application.job_queue.get_jobs_by_name(DIGEST) == ()
