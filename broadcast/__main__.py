"""`python -m broadcast`: send every due announcement once, print the reports, exit."""

from __future__ import annotations

import asyncio
import json

from broadcast.sender import make_bot, send_due
from content.db import make_engine
from content.migrate import check_current
from primm.cli import configure_logging
from primm.settings import get_settings


async def run() -> dict[int, dict[str, int]]:
    """One pass of the sender over the configured database and Bot API."""
    settings = get_settings()
    configure_logging(settings.log_format)
    engine = make_engine(settings.database_url)
    check_current(engine)
    try:
        async with make_bot(settings) as bot:
            return await send_due(settings, engine, bot)
    finally:
        engine.dispose()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run())))
