"""`python -m broadcast`: queue due reminders, send every due announcement once, print the reports;
`python -m broadcast serve`: run the scheduler service until stopped."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json

from broadcast.schedule import serve
from broadcast.sender import send_configured
from shared.logs import configure_logging
from shared.settings import get_settings

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", nargs="?", choices=["send", "serve"], default="send")
    action = parser.parse_args().action
    settings = get_settings()
    configure_logging(settings.log_format)
    if action == "serve":
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(settings))
    else:
        print(json.dumps(asyncio.run(send_configured(settings))))
