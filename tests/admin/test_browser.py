"""The tool in real headless Chromium (Debian's, driven by Playwright): a mediator fixes an Arabic
answer, publishes, retrains and sees the new answer in the preview chat; on a phone, a mediator
turns two inbox groups into examples of an FAQ and a new FAQ in three languages, and sees both
answered; every page on a phone; a mediator's morning (inbox, FAQ search, a Bengali answer,
coverage), a mediator checking an office's facts one by one, an editor's event in Arabic and an
editor linking her Telegram chat, on a phone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy import Engine, select

from admin.app import Parts, create_app
from admin.faqs import load_faq
from content.inbox import add_question
from content.loader import seed_faqs
from content.repository import published_translations
from dialogue.app import build_dialogue
from dialogue.chats import Chats
from nlu.client import RasaClient
from shared.clock import ROME
from shared.settings import ROOT, Settings
from storage.content import Service
from storage.db import make_sessionmaker
from storage.inbox import InboxQuestion
from storage.users import UserState
from testbed.botapi import BotApiEmulator
from testbed.rasa import free_port, restore
from tests.admin.conftest import make_parts
from tests.support.admin import PASSWORD, SECRET
from tests.support.conversation import NEW_CHAT
from tests.support.telegram import offline_polling, plain

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
NEW_ANSWER = "تحقق 4242: اطلب التجديد في مكتب البريد قبل 60 يوماً من انتهاء التصريح."
NEW_SHORT = "تحقق 4242: جدّد في مكتب البريد قبل 60 يوماً."
NEW_EXAMPLE = "متى اجدد ورقة الاقامة تبعي"
EDITOR_CHAT = 9900


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        await browser.close()


async def serving(
    settings: Settings, parts: Parts
) -> tuple[str, uvicorn.Server, asyncio.Task[None]]:
    """The app on a loopback port, in this event loop."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, parts, SECRET), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 uvicorn offers a flag, not an event
        await asyncio.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, task


@pytest.fixture
async def fake_site(settings: Settings, parts: Parts) -> AsyncIterator[str]:
    """The app over the seeded copy and a fake NLU."""
    url, server, task = await serving(settings, parts)
    yield url
    server.should_exit = True
    await task


async def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def width(page: Page) -> int:
    """How wide the page is drawn: more than the phone means sideways scrolling."""
    drawn: int = await page.evaluate("document.documentElement.scrollWidth")
    return drawn


async def on_phone(browser: Browser) -> Page:
    """A page in a phone-sized, touch, Italian browser."""
    context = await browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="it-IT"
    )
    return await context.new_page()


async def log_in(page: Page, url: str, username: str) -> None:
    await page.goto(f"{url}/login")
    await page.fill("#username", username)
    await page.fill("#password", PASSWORD)
    await page.get_by_role("button", name="Accedi").click()
    await page.wait_for_url(f"{url}/")


PAGES = [
    ("home", "/"),
    ("faqs", "/faqs"),
    ("faq-editor-ar", "/faqs/permit_renewal?lang=ar"),
    ("coverage", "/coverage"),
    ("inbox", "/inbox"),
    ("faq-new", "/faqs/new"),
    ("analytics", "/analytics"),
    ("services", "/services"),
    ("service-form", "/services/new"),
    ("courses", "/courses"),
    ("stale", "/stale"),
    ("events", "/events"),
    ("event-form", "/events/new"),
    ("proposals", "/proposals"),
    ("announcements", "/announcements"),
    ("announcement-form", "/announcements/new"),
    ("profile", "/profile"),
    ("try", "/try"),
    ("training", "/training"),
    ("voices", "/voices"),
    ("users", "/users"),
    ("audit", "/audit"),
]


async def test_every_page_fits_a_phone(browser: Browser, fake_site: str) -> None:
    page = await on_phone(browser)
    await log_in(page, fake_site, "admin")
    too_wide = []
    for name, path in PAGES:
        response = await page.goto(f"{fake_site}{path}")
        assert response is not None and response.status == 200, path
        await shoot(page, f"phone-{name}")
        if (drawn := await width(page)) > PHONE["width"]:
            too_wide.append(f"{path}: {drawn}px")
    assert too_wide == []
    await page.context.close()


async def test_a_voice_sample_plays_in_the_browser(browser: Browser, fake_site: str) -> None:
    """Chromium decodes the Ogg/Opus note the bot would send and knows how long it plays."""
    page = await browser.new_page(locale="it-IT")
    await log_in(page, fake_site, "mediator")
    await page.goto(f"{fake_site}/voices")
    seconds = await page.eval_on_selector(
        "[data-testid=voice-it] audio",
        """audio => new Promise((done, failed) => {
            audio.onloadedmetadata = () => done(audio.duration);
            audio.onerror = () => failed(String(audio.error && audio.error.code));
            audio.preload = "metadata";
            audio.load();
        })""",
    )
    assert 3 < seconds < 60
    await page.close()


async def test_login_with_the_keyboard_alone(browser: Browser, fake_site: str) -> None:
    page = await browser.new_page(locale="it-IT")
    await page.goto(f"{fake_site}/login")
    await page.bring_to_front()
    # The user name field has the focus on arrival; Tab, type, Enter: no pointer needed.
    await page.wait_for_function("document.activeElement?.id === 'username'", timeout=10_000)
    await page.keyboard.type("mediator")
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{fake_site}/")
    assert "mediator" in await page.inner_text("header")
    await shoot(page, "desktop-home")
    await page.close()


@pytest.fixture
async def real_site(
    settings: Settings,
    content_engine: Engine,
    tmp_path: Path,
    rasa_url: str,
    rasa_model: Path,
) -> AsyncIterator[tuple[str, Parts]]:
    rasa = RasaClient(rasa_url, settings.nlu.timeout_seconds)
    parts = make_parts(settings, content_engine, rasa, rasa_url)
    url, server, task = await serving(settings, parts)
    yield url, parts
    server.should_exit = True
    await task
    await rasa.aclose()
    # Give the session's Rasa server back to the other tests.
    await restore(rasa_url, rasa_model)


@pytest.mark.rasa
async def test_mediator_fixes_arabic_answer_retrains_and_sees_it(
    browser: Browser, real_site: tuple[str, Parts], settings: Settings
) -> None:
    url, parts = real_site
    page = await browser.new_page(locale="it-IT")
    await log_in(page, url, "mediator")
    await shoot(page, "flow-1-home")

    await page.get_by_role("link", name="FAQ", exact=True).click()
    await page.click("a[href='/faqs/permit_renewal']")
    await page.click("ul.tabs >> text=العربية")
    question = await page.input_value("#question")
    await page.fill("#short", NEW_SHORT)  # what users read first, fixed with the answer
    await page.fill("#answer", NEW_ANSWER)
    examples = await page.input_value("#examples")
    await page.fill("#examples", f"{examples}\n{NEW_EXAMPLE}")
    await page.get_by_role("button", name="Salva come nuova versione").click()
    await page.wait_for_selector("text=Salvato come versione 2.")
    await page.get_by_role("button", name="Pubblica").click()
    await page.wait_for_selector("text=Pubblicato: da ora il bot risponde con questo testo.")
    assert NEW_SHORT[:20] in await page.inner_text("[data-testid=preview] >> nth=0")
    assert NEW_ANSWER[:20] in await page.inner_text("[data-testid=preview] >> nth=1")
    await shoot(page, "flow-2-faq-editor-ar")

    await page.get_by_role("link", name="Riaddestra").click()
    await page.get_by_role("button", name="Riaddestra ora").click()
    await page.wait_for_selector("[data-testid=progress]")
    await shoot(page, "flow-3-training-running")
    await parts.trainer.wait()
    await page.goto(f"{url}/training")
    status = await page.inner_text("[data-testid=run-status] >> nth=0")
    assert status == "riuscito", await page.inner_text("main")
    await shoot(page, "flow-4-training-done")
    # The server saved it beside the other models, where a restarted server takes the newest.
    async with httpx.AsyncClient(timeout=10) as rasa:
        loaded = (await rasa.get(f"{parts.trainer.nlu_url}/status")).json()["model_file"]
    models = settings.path(settings.nlu.models_dir)
    newest = max(models.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    assert newest.name == Path(loaded).name, loaded

    await page.get_by_role("link", name="Prova il bot").click()
    await page.select_option("#bot-language", "ar")
    await page.fill("#message", question)
    await page.get_by_role("button", name="Invia").click()
    await page.wait_for_selector("[data-testid=said]")
    answer = await page.inner_text("[data-testid=reply] >> nth=0")
    assert "4242" in answer, answer
    await shoot(page, "flow-5-try-the-bot")

    await page.fill("#message", NEW_EXAMPLE)
    await page.get_by_role("button", name="Invia").click()
    await page.wait_for_selector(f"[data-testid=said] >> text={NEW_EXAMPLE}")
    assert "4242" in await page.inner_text("[data-testid=conversation]")
    await shoot(page, "flow-6-new-example-understood")
    await page.close()


# Not in the seed content: the bot is unsure of each wording until a mediator adds the FAQ.
FISHING = [
    "licenza pesca fiume",
    "mi serve la licenza di pesca per il fiume?",
    "licenza di pesca per il fiume",
    "come faccio la licenza di pesca nel fiume",
]
FISHING_ANSWERS = {
    "it": "Verifica 4343: la licenza di pesca nelle acque interne si chiede alla Regione.",
    "ar": "تحقق 4343: رخصة الصيد في المياه الداخلية تُطلب من الإقليم (Regione).",
    "ur": "تصدیق 4343: اندرونی پانیوں میں مچھلی پکڑنے کا لائسنس ریجن (Regione) سے ملتا ہے۔",
}
FISHING_QUESTIONS = {
    "ar": "كيف أحصل على رخصة صيد السمك في النهر؟",
    "ur": "دریا میں مچھلی پکڑنے کا لائسنس کیسے ملے گا؟",
}
# A lost health card, in Urdu: covered by the SSN registration FAQ, in wordings it lacks.
HEALTH_CARD = [
    "ٹیسرا سانیتاریا گم ہو گئی دوبارہ کیسے بنواؤں",
    "ٹیسرا سانیتاریا گم ہو گئی نئی کیسے بنواؤں",
    "ٹیسرا سانیتاریا کھو گئی دوبارہ کیسے بنواؤں",
]
# A third language in the inbox, which this morning's mediator leaves for a colleague.
LEFT = [("তেসেরা সানিতারিয়া হারিয়ে গেছে নতুন কিভাবে পাব", "bn")]


async def ask(page: Page, text: str, every: bool = False) -> str:
    """Send a message in the preview chat; the bot's first reply (or all), as a person reads it."""
    await page.fill("#message", text)
    await page.get_by_role("button", name="Invia").click()
    await page.wait_for_selector(f"[data-testid=said] >> text={text}")
    if every:
        return plain("\n".join(await page.locator("[data-testid=reply]").all_inner_texts()))
    return plain(await page.inner_text("[data-testid=reply] >> nth=0"))


async def write_translation(page: Page, url: str, language: str, tab: str) -> None:
    """A mediator writes one language's text of the new FAQ, vouches for it and publishes it."""
    await page.goto(f"{url}/faqs/fishing_licence?lang=it")
    await page.click(f"ul.tabs >> text={tab}")
    await page.wait_for_url(f"{url}/faqs/fishing_licence?lang={language}")
    await page.fill("#question", FISHING_QUESTIONS[language])
    await page.fill("#answer", FISHING_ANSWERS[language])
    await page.select_option("#status", "reviewed")
    await page.get_by_role("button", name="Salva come nuova versione").click()
    await page.wait_for_selector("text=Salvato come versione 1.")
    assert "mediator" in await page.inner_text("[data-testid=provenance]")
    await page.get_by_role("button", name="Pubblica").click()
    await page.wait_for_selector("text=Pubblicato: da ora il bot risponde con questo testo.")
    assert "4343" in await page.inner_text("[data-testid=preview]")


def landed(parts: Parts, texts: list[str]) -> list[str]:
    """The wordings that reached the inbox: those the bot did not answer."""
    with parts.sessions() as session:
        kept = set(session.scalars(select(InboxQuestion.text)))
    return [text for text in texts if text in kept]


@pytest.mark.rasa
async def test_mediator_turns_two_inbox_groups_into_answers_in_three_languages(
    browser: Browser, real_site: tuple[str, Parts], settings: Settings
) -> None:
    url, parts = real_site
    # Users ask first (the admin's own "try the bot" leaves no inbox rows).
    users = Chats(
        build_dialogue(settings, parts.sessions, parts.dialogue.understander.nlu), parts.sessions
    )
    asked = [(text, "it") for text in FISHING] + [(text, "ur") for text in HEALTH_CARD] + LEFT
    for text, language in asked:
        await users.text(NEW_CHAT, UserState(language), text)
    # The wordings the bot could not answer; one it answered with a wrong guess stays out.
    fishing, health_card = landed(parts, FISHING), landed(parts, HEALTH_CARD)
    assert len(fishing) >= 2 and len(health_card) >= 2, (fishing, health_card)
    with parts.sessions() as session:
        before = set(session.scalars(select(InboxQuestion.text)))
        registration = load_faq(session, "ssn_registration")
        assert registration is not None
        covered = published_translations(registration)["ur"].question

    page = await on_phone(browser)
    await log_in(page, url, "mediator")
    await page.goto(f"{url}/try")
    await page.select_option("#bot-language", "it")
    for text in FISHING:
        assert "4343" not in await ask(page, text)
    with parts.sessions() as session:
        assert set(session.scalars(select(InboxQuestion.text))) == before, "trying leaves no rows"

    await page.goto(f"{url}/inbox")
    shown = await page.inner_text("main")
    assert all(text in shown for text, _language in asked if text in before), shown
    await shoot(page, "inbox-1-groups")
    group = page.locator("[data-testid=group]", has_text=health_card[0])
    shown = await group.inner_text()
    assert all(text in shown for text in health_card), shown
    await group.locator("input[name=faq]").fill("ssn_registration")
    await group.get_by_role("button", name="Aggiungi esempi").click()
    await page.wait_for_selector(f"text={len(health_card)} domande di esempio aggiunte")

    group = page.locator("[data-testid=group]", has_text=fishing[0])
    shown = await group.inner_text()
    assert all(text in shown for text in fishing), shown
    await group.get_by_role("button", name="Nuova FAQ da questo gruppo").click()
    assert await page.input_value("#question") == fishing[0]
    await page.fill("#f-slug", "fishing_licence")
    await page.select_option("#f-category", "work")
    await page.fill("#f-source_url", "https://www.regione.marche.it/")
    await page.fill("#answer", FISHING_ANSWERS["it"])
    await shoot(page, "inbox-2-new-faq")
    await page.get_by_role("button", name="Crea bozza").click()
    await page.wait_for_url(f"{url}/faqs/fishing_licence?lang=it")
    await page.get_by_role("button", name="Pubblica").click()
    await page.wait_for_selector("text=Pubblicato: da ora il bot risponde con questo testo.")
    await write_translation(page, url, "ar", "العربية")
    await write_translation(page, url, "ur", "اردو")
    assert await page.get_attribute("#answer", "dir") == "rtl"
    await shoot(page, "inbox-3-faq-ur")

    await page.goto(f"{url}/training")
    await page.get_by_role("button", name="Riaddestra ora").click()
    await parts.trainer.wait()
    await page.goto(f"{url}/training")
    status = await page.inner_text("[data-testid=run-status] >> nth=0")
    assert status == "riuscito", await page.inner_text("main")

    await page.goto(f"{url}/inbox")
    for text, faq in ((fishing[0], "fishing_licence"), (health_card[0], "ssn_registration")):
        group = page.locator("[data-testid=group]", has_text=text)
        assert f"risolto da {faq}" in await group.inner_text()
    await shoot(page, "inbox-4-answered")
    await page.goto(f"{url}/try")
    for text in FISHING:  # the wrongly guessed wording too: the new FAQ is nearer
        assert FISHING_ANSWERS["it"] in await ask(page, text), text
    for language, question in FISHING_QUESTIONS.items():
        await page.select_option("#bot-language", language)
        assert FISHING_ANSWERS[language] in await ask(page, question)
    for text in health_card:  # after the emergency numbers, if the risk check saw a danger
        assert covered in await ask(page, text, every=True), text
    await shoot(page, "inbox-5-try-the-bot-ur")
    await page.context.close()


MORNING = [
    ("ho perso il passaporto al mare", "it"),
    ("সমুদ্রে পাসপোর্ট হারিয়ে গেছে", "bn"),
    ("загубив паспорт на морі", "uk"),
]
BENGALI_ANSWER = "যাচাই 4545: নবায়নের আবেদন মেয়াদ শেষ হওয়ার ৬০ দিন আগে পোস্ট অফিসে করুন।"
BENGALI_SHORT = "যাচাই 4545: ৬০ দিন আগে পোস্ট অফিসে নবায়ন করুন।"


async def test_a_mediators_morning_on_a_phone(
    browser: Browser, fake_site: str, parts: Parts
) -> None:
    with parts.sessions.begin() as session:
        for text, language in MORNING:
            add_question(session, text, language, "out_of_scope", None, datetime.now(UTC))
    page = await on_phone(browser)
    await log_in(page, fake_site, "mediator")

    await page.get_by_role("link", name="Domande in arrivo").click()
    groups = await page.inner_text("main")
    assert all(text in groups for text, _language in MORNING), groups
    await shoot(page, "morning-1-inbox")

    await page.get_by_role("link", name="FAQ", exact=True).click()
    await page.fill("#q", "rinnovo permesso")
    await page.select_option("#f-lang", "bn")
    await page.get_by_role("button", name="Filtra").click()
    await page.wait_for_url("**/faqs?q=*")
    found = page.locator("[data-testid=faq-row]", has_text="permit_renewal")
    await shoot(page, "morning-2-faq-search")
    await found.locator("a[href='/faqs/permit_renewal']").click()
    await page.click("ul.tabs >> text=বাংলা")
    await page.fill("#short", BENGALI_SHORT)
    await page.fill("#answer", BENGALI_ANSWER)
    await page.select_option("#status", "reviewed")
    await page.get_by_role("button", name="Salva come nuova versione").click()
    await page.wait_for_selector("text=Salvato come versione 2.")
    await page.get_by_role("button", name="Pubblica").click()
    await page.wait_for_selector("text=Pubblicato: da ora il bot risponde con questo testo.")
    assert "4545" in await page.inner_text("[data-testid=preview]")
    assert await page.get_attribute("#answer", "dir") is None, "Bengali runs left to right"
    await shoot(page, "morning-3-faq-editor-bn")

    await page.get_by_role("link", name="Copertura delle traduzioni").click()
    assert await page.inner_text("[data-testid=review-bn-yes]") == "1"
    assert await page.inner_text("[data-testid=count-bn-published]") == str(len(seed_faqs()))
    await shoot(page, "morning-4-coverage")
    assert await width(page) <= PHONE["width"]
    await page.context.close()


async def test_a_mediator_checks_an_offices_facts_one_by_one_on_a_phone(
    browser: Browser, fake_site: str, parts: Parts
) -> None:
    with parts.sessions() as session:
        office = session.scalar(select(Service).where(Service.slug == "questura_pesaro_urbino"))
        assert office is not None and office.phone
    page = await on_phone(browser)
    await log_in(page, fake_site, "mediator")
    await page.goto(f"{fake_site}/services/{office.id}")
    link = page.get_by_test_id("source").get_by_role("link")
    assert await link.get_attribute("href") == office.source_url
    assert await link.get_attribute("target") == "_blank"

    address = page.get_by_test_id("fact-address")
    await address.get_by_role("button", name="Controllato oggi").click()
    await page.wait_for_selector("text=Segnato come controllato oggi.")
    assert "Controllato da mediator, " in await address.inner_text()

    phone = page.get_by_test_id("fact-phone")
    await phone.get_by_text("Sbagliato").click()
    await page.fill("#c-phone-value", "+39 0721 000000")
    await page.fill("#c-phone-source_url", "javascript:alert(1)")
    await page.fill("#c-phone-source_date", "2026-11-30")
    await phone.get_by_role("button", name="Salva il valore giusto").click()
    await page.wait_for_selector("#ce-phone-source_url")
    assert "https://" in await page.inner_text("#ce-phone-source_url")
    await shoot(page, "fact-1-refused")
    await page.fill("#c-phone-source_url", "https://www.example.gov.it/questura/contatti")
    await phone.get_by_role("button", name="Salva il valore giusto").click()
    await page.wait_for_selector("text=Salvato: da ora il bot mostra il valore giusto")
    shown = await phone.inner_text()
    assert "+39 0721 000000" in shown and "Corretto da mediator, " in shown
    assert "Controllato da mediator, " in await address.inner_text(), "the first check stays"
    await shoot(page, "fact-2-corrected")
    assert await width(page) <= PHONE["width"]
    await page.context.close()

    card = parts.dialogue.lists.office_reply(office.slug, "it").text
    assert "☎️ Telefono: +39 0721 000000\n📄 Secondo example.gov.it, 30 novembre 2026" in card
    assert office.phone not in card


async def test_an_editor_writes_an_event_in_arabic_on_a_phone(
    browser: Browser, fake_site: str
) -> None:
    page = await on_phone(browser)
    await log_in(page, fake_site, "editor")
    await page.goto(f"{fake_site}/events/new")
    starts = (datetime.now(ROME) + timedelta(days=9)).strftime("%Y-%m-%dT18:30")
    await page.fill("#f-slug", "festa_dei_popoli")
    await page.fill("#f-starts_at", starts)
    await page.fill("#f-source_url", "https://www.regione.marche.it/")
    await page.fill("#f-title_it", "Festa dei popoli")
    await page.fill("#f-text_it", "Musica e cibo da tutto il mondo.")
    await page.select_option("#f-status_it", "published")
    await page.get_by_role("button", name="Salva").click()
    await page.wait_for_url(f"{fake_site}/events")
    await page.click("text=festa_dei_popoli")
    await page.click("ul.tabs >> text=العربية")
    assert await page.get_attribute("#f-title_ar", "dir") == "rtl"
    await page.fill("#f-title_ar", "مهرجان الشعوب")
    await page.fill("#f-text_ar", "موسيقى وطعام من كل العالم.")
    await page.select_option("#f-status_ar", "draft")
    await page.get_by_role("button", name="Salva").click()
    await page.wait_for_url("**/events/*?lang=ar")
    assert "bozza" in await page.inner_text("[data-testid=tab-ar]")
    await shoot(page, "phone-event-editor-ar")

    await page.get_by_role("link", name="Copertura delle traduzioni").click()
    row = {
        code: await page.inner_text(f"[data-testid=event-0-{code}]") for code in ("it", "ar", "bn")
    }
    assert row == {"it": "pubblicata", "ar": "bozza", "bn": "mancante"}
    await shoot(page, "phone-coverage-events")
    assert await width(page) <= PHONE["width"]
    await page.context.close()


async def test_an_editor_links_her_telegram_chat_on_a_phone(
    browser: Browser,
    settings: Settings,
    content_engine: Engine,
    fake_site: str,
    emulator: BotApiEmulator,
) -> None:
    page = await on_phone(browser)
    await log_in(page, fake_site, "editor")
    await page.goto(f"{fake_site}/profile")
    assert "Nessuna chat Telegram è collegata" in await page.inner_text("#chat-status")
    await page.get_by_role("button", name="Crea un codice di collegamento").click()
    command = await page.inner_text("#link-command")
    await shoot(page, "phone-profile-link-code")
    assert await width(page) <= PHONE["width"]

    owner = emulator.user(EDITOR_CHAT, "it")
    async with offline_polling(settings, emulator, make_sessionmaker(content_engine)) as bot:
        await bot.handled(emulator.send_text(owner, command))
    assert "collegata" in emulator.chat(EDITOR_CHAT)[-1]["text"]
    await page.goto(f"{fake_site}/profile")
    assert "è collegata al tuo account" in await page.inner_text("#chat-status")
    await page.context.close()
