"""`python -m broadcast`: send every due announcement once, print the reports, exit."""

from __future__ import annotations

import asyncio
import json

from broadcast.sender import send_configured
from primm.cli import configure_logging
from primm.settings import get_settings

if __name__ == "__main__":
    settings = get_settings()
    configure_logging(settings.log_format)
    print(json.dumps(asyncio.run(send_configured(settings))))
