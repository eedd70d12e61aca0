"""Services, courses and events: validation a person sees, verify-today, Rome times, proposals."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import Engine, func, select

from admin.records import SERVICES
from content.facts import FACTS
from content.loader import load_seed
from dialogue import format as fmt
from dialogue.labels import category_label
from shared.clock import today
from storage.admin import AuditEntry, Role
from storage.content import Course, Event, Service
from storage.db import make_sessionmaker
from tests.admin.conftest import Client
from tests.support.admin import csrf_token

SERVICE = {
    "slug": "sportello_test",
    "name": "Sportello immigrazione di prova",
    "category": "legal_aid",
    "province": "AN",
    "comune": "Ancona",
    "website": "https://example.org/sportello",
    "latitude": "43,6158",
    "longitude": "13.5189",
    "coordinates_precision": "comune",
    "source_url": "https://example.org/fonte",
}
EVENT = {
    "slug": "festa_test",
    "title_it": "Festa dei popoli",
    "text_it": "Musica e cibo da tutto il mondo.",
    "title_en": "Festival of peoples",
    "text_en": "Music and food from all over the world.",
    "starts_at": "2026-12-05T18:30",
    "ends_at": "2026-12-05T22:00",
    "province": "AN",
    "source_url": "https://example.org/festa",
}


async def submit(client: httpx.AsyncClient, path: str, data: dict[str, str]) -> httpx.Response:
    page = await client.get(path)
    return await client.post(path, data={"csrftoken": csrf_token(page.text), **data})


async def test_new_service_is_validated_and_saved_unverified(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.MEDIATOR)
    bad = {
        **SERVICE,
        "province": "RM",
        "website": "not a url",
        "latitude": "45.46",
        "longitude": "",
    }
    response = await submit(client, "/services/new", bad)
    assert response.status_code == 400
    for message in (
        "Scegli tra AN, AP, FM, MC, PU",
        "Indica un indirizzo web completo.",
    ):
        assert message in response.text
    # What the person typed stays in the form.
    assert 'value="45.46"' in response.text

    far = await submit(client, "/services/new", {**SERVICE, "latitude": "45.46"})
    assert "Questo punto è fuori dalle Marche: controlla la latitudine." in far.text
    half = await submit(client, "/services/new", {**SERVICE, "longitude": ""})
    assert "Indica sia latitudine sia longitudine" in half.text

    assert (await submit(client, "/services/new", SERVICE)).status_code == 303
    with make_sessionmaker(content_engine)() as session:
        service = session.scalar(select(Service).where(Service.slug == "sportello_test"))
        assert service is not None
        assert (service.latitude, service.province, service.verified_on) == (43.6158, "AN", None)
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "create"))
        assert entry is not None and entry.after is not None
        assert entry.after["name"] == SERVICE["name"]
    duplicate = await submit(client, "/services/new", SERVICE)
    assert "non già usati da un" in duplicate.text


@pytest.fixture
def server_zone_off_rome(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The server's own clock on a date other than Rome's (UTC+14 or UTC-12 always is one)."""
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        if date.today() != today():
            break
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("server_zone_off_rome")
async def test_seed_rows_are_to_verify_until_a_person_verifies_them(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.MEDIATOR)
    listing = (await client.get("/services")).text
    with make_sessionmaker(content_engine)() as session:
        service = session.scalars(select(Service).order_by(Service.id)).first()
        assert service is not None
    cell = listing.split(f'data-testid="verified-{service.slug}">')[1].split("</td>")[0]
    assert "da verificare" in cell
    page = await client.get("/services")
    response = await client.post(
        f"/services/{service.id}/verify", data={"csrftoken": csrf_token(page.text)}
    )
    assert response.status_code == 303
    listing = (await client.get("/services")).text
    cell = listing.split(f'data-testid="verified-{service.slug}">')[1].split("</td>")[0]
    assert today().isoformat() in cell
    with make_sessionmaker(content_engine)() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "verify"))
        assert entry is not None and entry.before is not None and entry.after is not None
        assert (entry.before["verified_on"], entry.after["verified_on"]) == (
            None,
            today().isoformat(),
        )


async def test_editing_a_service_keeps_its_other_facts(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.ADMIN)
    with make_sessionmaker(content_engine)() as session:
        service = session.scalars(select(Service).where(Service.province == "MC")).first()
        assert service is not None
    form = (await client.get(f"/services/{service.id}")).text
    assert f'value="{service.slug}" readonly' in form
    label = category_label(service.category_key, "it")
    assert f'<option value="{service.category_key}" selected>{label}</option>' in form
    values = {
        "slug": service.slug,
        "name": service.name + " (sede)",
        "category": service.category_key,
        "province": "MC",
        "comune": service.comune or "",
        "source_url": service.source_url,
    }
    assert (await submit(client, f"/services/{service.id}", values)).status_code == 303
    with make_sessionmaker(content_engine)() as session:
        changed = session.get(Service, service.id)
        assert changed is not None
        assert changed.name.endswith("(sede)")
        assert changed.description == service.description
        assert changed.languages == service.languages
        assert changed.kind == service.kind is not None, "the kind of office stays"


async def test_a_source_date_is_shown_checked_and_kept_unverified(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.MEDIATOR)
    with make_sessionmaker(content_engine).begin() as session:
        service = session.scalars(select(Service).where(Service.province == "AN")).first()
        assert service is not None
        service.source_date = date(2026, 3, 12)
        values = SERVICES.form_values(service, session)
    form = (await client.get(f"/services/{service.id}")).text
    assert 'name="source_date" type="date"  value="2026-03-12"' in form
    future = await submit(
        client, f"/services/{service.id}", {**values, "source_date": "2062-03-12"}
    )
    assert future.status_code == 400
    assert "Una data come 2026-03-12, non successiva a oggi." in future.text
    assert (await submit(client, f"/services/{service.id}", values)).status_code == 303
    with make_sessionmaker(content_engine)() as session:
        saved = session.get(Service, service.id)
        assert saved is not None
        assert (saved.source_date, saved.verified_on) == (date(2026, 3, 12), None)


async def test_a_services_page_shows_each_fact_with_its_page_and_a_person_checks_it_there(
    client_for: Client, content_engine: Engine
) -> None:
    page_url = "https://www.example.gov.it/ufficio-immigrazione"
    with make_sessionmaker(content_engine).begin() as session:
        service = session.scalars(select(Service).order_by(Service.id)).first()
        assert service is not None
        service.address, service.phone, service.opening_hours = "Via Esempio 1", None, None
        service.source_url, service.source_date, service.verified_on = page_url, None, None
    client = await client_for(Role.MEDIATOR)
    shown = (await client.get(f"/services/{service.id}")).text
    facts = shown.split('data-testid="facts"')[1].split("</section>")[0]
    assert "Via Esempio 1" in facts and "Indirizzo" in facts and "Telefono" in facts
    assert f'<a href="{page_url}" target="_blank"' in facts
    assert "la pagina non riporta una data" in facts
    assert "Non ancora controllato da una persona." in facts
    checked = await client.post(
        f"/services/{service.id}/verify", data={"csrftoken": csrf_token(shown), "back": "row"}
    )
    assert (checked.status_code, checked.headers["location"]) == (303, f"/services/{service.id}")
    facts = (await client.get(f"/services/{service.id}")).text.split('data-testid="facts"')[1]
    assert "Controllato da mediator, " in facts.split("</section>")[0]
    with make_sessionmaker(content_engine)() as session:
        saved = session.get(Service, service.id)
        assert saved is not None and saved.verified_on == today()


async def test_event_times_are_rome_time_and_must_end_after_start(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.EDITOR)
    backwards = await submit(client, "/events/new", {**EVENT, "ends_at": "2026-12-05T17:00"})
    assert "La fine è prima dell&#39;inizio." in backwards.text
    untitled = await submit(client, "/events/new", {**EVENT, "title_en": ""})
    assert 'id="e-title_en"' in untitled.text
    assert (await submit(client, "/events/new", EVENT)).status_code == 303
    with make_sessionmaker(content_engine)() as session:
        event = session.scalar(select(Event).where(Event.slug == "festa_test"))
        assert event is not None
        # 18:30 in Rome in December is 17:30 UTC.
        assert event.starts_at == datetime(2026, 12, 5, 17, 30, tzinfo=UTC)
        assert event.translations["en"]["title"] == "Festival of peoples"
    form = (await client.get(f"/events/{event.id}")).text
    assert 'value="2026-12-05T18:30"' in form


async def test_association_proposes_and_editor_approves(
    client_for: Client, content_engine: Engine
) -> None:
    association = await client_for(Role.ASSOCIATION)
    assert (await submit(association, "/proposals/new", EVENT)).status_code == 303
    sessions = make_sessionmaker(content_engine)
    with sessions() as session:
        assert session.scalar(select(Event).where(Event.slug == "festa_test")) is None
    editor = await client_for(Role.EDITOR)
    waiting = await editor.get("/proposals")
    assert "Festa dei popoli" in waiting.text
    proposal_id = waiting.text.split('action="/proposals/')[1].split("/")[0]
    response = await editor.post(
        f"/proposals/{proposal_id}/approve", data={"csrftoken": csrf_token(waiting.text)}
    )
    assert response.status_code == 303
    with sessions() as session:
        event = session.scalar(select(Event).where(Event.slug == "festa_test"))
        assert event is not None
        assert event.starts_at == datetime(2026, 12, 5, 17, 30, tzinfo=UTC)
    assert "Festa dei popoli" not in (await editor.get("/proposals")).text


@pytest.mark.usefixtures("server_zone_off_rome")
async def test_rows_show_how_long_ago_they_were_verified_and_stale_ones_are_flagged(
    client_for: Client, content_engine: Engine
) -> None:
    with make_sessionmaker(content_engine).begin() as session:
        old, fresh, never = session.scalars(select(Service).order_by(Service.id).limit(3)).all()
        old.verified_on = today() - timedelta(days=200)
        fresh.verified_on = today() - timedelta(days=3)
        total = session.scalar(select(func.count(Service.id))) or 0
    client = await client_for(Role.MEDIATOR)
    listing = (await client.get("/services")).text

    def cell(slug: str) -> str:
        return listing.split(f'data-testid="verified-{slug}">')[1].split("</td>")[0]

    assert "7 mesi fa" in cell(old.slug) and "da verificare" in cell(old.slug)
    assert "3 giorni fa" in cell(fresh.slug) and "da verificare" not in cell(fresh.slug)
    assert "mai" in cell(never.slug) and "da verificare" in cell(never.slug)
    assert listing.count('<tr class="stale">') == total - 1
    assert f"{total - 1} righe sono state verificate più di 180 giorni fa, o mai." in listing

    stale = (await client.get("/stale")).text
    assert f'data-testid="stale-services-{old.slug}"' in stale
    assert f'data-testid="stale-services-{never.slug}"' in stale
    assert f'data-testid="stale-services-{fresh.slug}"' not in stale
    assert stale.index(f"stale-services-{never.slug}") < stale.index(f"stale-services-{old.slug}")
    english = await client_for(Role.ADMIN)
    english.cookies.set("admin_lang", "en")
    assert "7 months ago" in (await english.get("/stale")).text


@pytest.mark.usefixtures("server_zone_off_rome")
async def test_a_services_form_says_how_long_ago_it_was_verified(
    client_for: Client, content_engine: Engine
) -> None:
    with make_sessionmaker(content_engine).begin() as session:
        old, fresh = session.scalars(select(Service).order_by(Service.id).limit(2)).all()
        old.verified_on = today() - timedelta(days=400)
        fresh.verified_on = today()
    client = await client_for(Role.MEDIATOR)

    def verified(html: str) -> str:
        return html.split('data-testid="verified">')[1].split("</p>")[0]

    stale = verified((await client.get(f"/services/{old.id}")).text)
    assert "1 anno fa" in stale and "da verificare" in stale
    shown = verified((await client.get(f"/services/{fresh.id}")).text)
    assert "oggi" in shown and "da verificare" not in shown


async def test_a_course_costs_nothing_or_an_amount_in_euro(
    client_for: Client, content_engine: Engine
) -> None:
    client = await client_for(Role.MEDIATOR)
    with make_sessionmaker(content_engine)() as session:
        course = session.scalars(select(Course).order_by(Course.id)).first()
        assert course is not None and course.cost_eur == 0, "the seed's courses are free"
    form = (await client.get(f"/courses/{course.id}")).text
    assert 'name="cost_eur" type="text" inputmode="decimal" value="0.00"' in form
    values = {
        "slug": course.slug,
        "provider": course.provider,
        "level": course.level,
        "province": course.province or "",
        "comune": course.comune or "",
        "source_url": course.source_url,
    }
    refused = await submit(client, f"/courses/{course.id}", {**values, "cost_eur": "gratis"})
    assert refused.status_code == 400 and "Un importo come 0 (gratuito) o 25,50." in refused.text
    saved = await submit(client, f"/courses/{course.id}", {**values, "cost_eur": "25,5"})
    assert saved.status_code == 303
    await submit(client, f"/courses/{course.id}", {**values, "cost_eur": ""})
    with make_sessionmaker(content_engine)() as session:
        costs = [
            entry.after["cost_eur"]
            for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if entry.target == f"courses/{course.slug}" and entry.after
        ]
        assert session.get_one(Course, course.id).cost_eur is None
    assert [Decimal(c) if c else None for c in costs] == [Decimal("25.50"), None]


def office(engine: Engine, slug: str) -> Service:
    """An office as the bot reads it, with its facts' checks."""
    with make_sessionmaker(engine)() as session:
        row = session.scalar(select(Service).where(Service.slug == slug))
        assert row is not None
        return row


RIGHT = {
    "value": "+39 0721 000000",
    "source_url": "https://www.example.gov.it/questura/contatti",
    "source_date": "2026-11-30",
}


async def test_a_wrong_phone_is_corrected_and_the_bot_shows_the_right_one_with_its_page(
    mediator: httpx.AsyncClient, seeded_both: Engine
) -> None:
    seeded = office(seeded_both, "questura_pesaro_urbino")
    path = f"/services/{seeded.id}"
    page = await mediator.get(path)
    saved = await mediator.post(
        f"{path}/facts/phone/correct", data={"csrftoken": csrf_token(page.text), **RIGHT}
    )
    assert (saved.status_code, saved.headers["location"]) == (303, path)
    phone = (await mediator.get(path)).text.split('data-testid="fact-phone"')[1].split("</div>")[0]
    assert "+39 0721 000000" in phone and "Corretto da mediator, " in phone
    assert f'<a href="{RIGHT["source_url"]}" target="_blank"' in phone
    assert "pagina datata 2026-11-30" in phone
    corrected = office(seeded_both, "questura_pesaro_urbino")
    shown = fmt.service(corrected, ["it"])
    assert "☎️ Telefono: +39 0721 000000\n📄 Secondo example.gov.it, 30 novembre 2026" in shown
    assert seeded.phone not in shown, "users never see the wrong phone again"
    with make_sessionmaker(seeded_both)() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "correct_fact"))
        assert entry is not None and entry.before is not None and entry.after is not None
        assert (entry.username, entry.before["value"], entry.after["value"]) == (
            "mediator",
            seeded.phone,
            RIGHT["value"],
        )
        assert entry.after["source_url"] == RIGHT["source_url"]
    with make_sessionmaker(seeded_both).begin() as session:
        load_seed(session)
    assert office(seeded_both, "questura_pesaro_urbino").phone == RIGHT["value"], "kept on reload"


@pytest.mark.parametrize(
    ("typed", "field", "says"),
    [
        ({"value": "  "}, "value", "Campo obbligatorio."),
        ({"source_url": "javascript:alert(1)"}, "source_url", "inizi con https://"),
        ({"source_url": "Questura, 2026"}, "source_url", "inizi con https://"),
        ({"source_date": "30/11/2026"}, "source_date", "Una data come 2026-03-12"),
        ({"source_date": "2026-02-30"}, "source_date", "Una data come 2026-03-12"),
    ],
)
async def test_a_refused_right_value_says_why_and_changes_nothing(
    mediator: httpx.AsyncClient,
    seeded_both: Engine,
    typed: dict[str, str],
    field: str,
    says: str,
) -> None:
    seeded = office(seeded_both, "questura_pesaro_urbino")
    path = f"/services/{seeded.id}"
    page = await mediator.get(path)
    refused = await mediator.post(
        f"{path}/facts/phone/correct",
        data={"csrftoken": csrf_token(page.text), **RIGHT, **typed},
    )
    assert refused.status_code == 400
    shown = refused.text.split(f'id="ce-phone-{field}">')[1].split("</p>")[0]
    assert says in shown
    kept = typed.get("source_url", RIGHT["source_url"])
    assert f'name="source_url" type="url" value="{kept}"' in refused.text, "what was typed stays"
    after = office(seeded_both, "questura_pesaro_urbino")
    assert (after.phone, after.checks) == (seeded.phone, [])


async def test_a_refusal_speaks_the_interface_language(
    mediator: httpx.AsyncClient, seeded_both: Engine
) -> None:
    seeded = office(seeded_both, "questura_pesaro_urbino")
    mediator.cookies.set("admin_lang", "en")
    page = await mediator.get(f"/services/{seeded.id}")
    refused = await mediator.post(
        f"/services/{seeded.id}/facts/address/correct",
        data={"csrftoken": csrf_token(page.text), "value": "", "source_url": "ftp://x"},
    )
    assert refused.status_code == 400
    assert "This field is required." in refused.text
    assert "Give a full web address starting with https://" in refused.text


async def test_each_fact_is_checked_on_its_own_and_the_office_once_all_are(
    mediator: httpx.AsyncClient, seeded_both: Engine
) -> None:
    seeded = office(seeded_both, "questura_pesaro_urbino")
    path = f"/services/{seeded.id}"
    shown = [fact for fact in FACTS if getattr(seeded, fact)]
    assert shown == ["address", "phone", "opening_hours"]
    for fact in shown:
        assert office(seeded_both, seeded.slug).verified_on is None, "not all checked yet"
        page = await mediator.get(path)
        checked = await mediator.post(
            f"{path}/facts/{fact}/check", data={"csrftoken": csrf_token(page.text)}
        )
        assert checked.status_code == 303
        row = (await mediator.get(path)).text.split(f'data-testid="fact-{fact}"')[1]
        assert "Controllato da mediator, " in row.split("</div>")[0]
    assert office(seeded_both, seeded.slug).verified_on == today()
    checks = office(seeded_both, seeded.slug).checks
    assert [(c.fact, c.right, c.checked_by, c.source_url) for c in checks] == [
        (fact, True, "mediator", seeded.source_url) for fact in shown
    ]
    page = await mediator.get(path)
    unknown = await mediator.post(
        f"{path}/facts/name/check", data={"csrftoken": csrf_token(page.text)}
    )
    assert unknown.status_code == 404
