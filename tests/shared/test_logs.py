"""What a log keeps of a failure: never the words a user wrote, on either database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.logs import failure
from storage.inbox import InboxQuestion


def test_a_failed_statement_is_logged_without_the_users_words(engine: Engine) -> None:
    words = "mi chiamo Amina, il mio permesso scade domani"
    with pytest.raises(IntegrityError) as failed, Session(engine) as session:
        session.add(InboxQuestion(text=words))  # no language: the database refuses the row
        session.flush()
    logged = failure(failed.value)
    assert words not in logged
    assert logged.startswith("IntegrityError\n") and "flush" in logged
    assert "hidden due to hide_parameters" in str(failed.value)  # the engine's own message
