"""`primm chat` in a terminal: typed questions and numbered buttons, through the real Rasa."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.content import Service
from tests.support.cli import run_primm


def test_question_then_button_then_quit(seeded: sessionmaker[Session], rasa_url: str) -> None:
    # greeting -> [1] Services -> [1] Residence permit -> [4] Macerata
    result = run_primm(seeded, rasa_url, "chat", "--lang", "it", stdin="ciao\n1\n1\n4\n/quit\n")
    with seeded() as session:
        offices = dict(
            session.execute(
                select(Service.name, Service.province).where(
                    Service.category_key == "residence_permit"
                )
            ).all()
        )
    assert "[1] Servizi" in result.stdout
    assert "Pesaro e Urbino" in result.stdout  # the province picker
    shown = {name for name in offices if name in result.stdout}
    assert shown and {offices[name] for name in shown} == {"MC"}
