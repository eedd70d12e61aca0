"""The region's clock: dates as people in the Marche count them, whatever the server's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")


def today() -> date:
    """Today in Europe/Rome: a server on UTC is still on yesterday until 1 or 2 am Rome time."""
    return datetime.now(ROME).date()


def now() -> datetime:
    """This moment, in UTC as the database keeps times."""
    return datetime.now(UTC)
