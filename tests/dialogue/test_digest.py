"""The digest text: the facts to check first, how many rows, how old, and a pointer to the admin
page past the list."""

from __future__ import annotations

from datetime import date

from content.staleness import StaleFact, StaleRow
from dialogue.digest import MAX_LISTED, digest_reply
from storage.content import Service

TODAY = date(2026, 12, 7)


def test_a_long_digest_lists_the_first_rows_and_counts_the_rest() -> None:
    rows = [StaleRow("courses", n, f"c{n}", f"Corso {n}", None, None) for n in range(45)]
    text = digest_reply(rows, [], TODAY, "it", 180).text
    assert text.startswith("📋 Controllo settimanale: 45 servizi e corsi")
    assert text.count("• Corso") == MAX_LISTED
    assert text.endswith(
        "… e altri 5: vedi la pagina “Dati da ricontrollare” dello strumento di amministrazione."
    )


def test_nothing_stale_says_so_in_the_language_asked() -> None:
    assert digest_reply([], [], TODAY, "en", 180).text == (
        "📋 Weekly check: every service and course was verified in the last 180 days."
    )
    row = StaleRow("services", 1, "s", "Questura", date(2026, 5, 9), 200)
    spanish = digest_reply([row], [], TODAY, "es", 180).text
    assert "• Questura (servicio): verificado hace 7 meses" in spanish


def test_the_facts_of_the_most_asked_offices_come_first() -> None:
    questura = Service(
        name="Questura di Pesaro", comune="Pesaro", province="PU", phone="+39 0721 37871"
    )
    facts = [
        StaleFact(questura, "phone", None, 12),
        StaleFact(questura, "address", date(2026, 5, 9), 12),
    ]
    questura.address = "Via Flacco 32"
    row = StaleRow("services", 1, "s", "Questura", None, None)
    text = digest_reply([row], facts, TODAY, "it", 180).text
    first, rows = text.split("\n\n")[1:]
    assert first.splitlines() == [
        "🔎 Da controllare prima: i dati degli uffici di cui si è chiesto di più negli ultimi 28 "
        "giorni, mai controllati o controllati da più tempo.",
        "• Questura di Pesaro: ☎️ Telefono: +39 0721 37871 – mai verificato",
        "• Questura di Pesaro: 📍 Via Flacco 32, Pesaro (PU) – verificato 7 mesi fa",
    ]
    assert rows == "• Questura (servizio): mai verificato"
    assert digest_reply([], facts, TODAY, "en", 180).text.endswith("– verified 7 months ago")
