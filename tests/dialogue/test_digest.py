"""The digest text: how many rows, how old, and a pointer to the admin page past the list."""

from __future__ import annotations

from datetime import date

from content.staleness import StaleRow
from dialogue.digest import MAX_LISTED, digest_reply


def test_a_long_digest_lists_the_first_rows_and_counts_the_rest() -> None:
    rows = [StaleRow("courses", n, f"c{n}", f"Corso {n}", None, None) for n in range(45)]
    text = digest_reply(rows, "it", 180).text
    assert text.startswith("📋 Controllo settimanale: 45 servizi e corsi")
    assert text.count("• Corso") == MAX_LISTED
    assert text.endswith(
        "… e altri 5: vedi la pagina “Dati da ricontrollare” dello strumento di amministrazione."
    )


def test_nothing_stale_says_so_in_the_language_asked() -> None:
    assert digest_reply([], "en", 180).text == (
        "📋 Weekly check: every service and course was verified in the last 180 days."
    )
    row = StaleRow("services", 1, "s", "Questura", date(2026, 5, 9), 200)
    assert "• Questura (servicio): verificado hace 7 meses" in digest_reply([row], "es", 180).text
