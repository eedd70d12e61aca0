"""`primm chat` in a terminal: typed questions and numbered buttons, through the real Rasa."""

from __future__ import annotations

import os
import subprocess

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.models import Service
from tests.primm.test_ask import PRIMM


def test_question_then_button_then_quit(seeded: sessionmaker[Session], rasa_url: str) -> None:
    database = seeded.kw["bind"].url.render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": database, "PRIMM_NLU__URL": rasa_url}
    # greeting -> [1] Services -> [1] Residence permit -> [4] Macerata
    typed = "ciao\n1\n1\n4\n/quit\n"
    result = subprocess.run(
        [PRIMM, "chat", "--lang", "it"],
        input=typed,
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
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
