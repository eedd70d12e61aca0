"""Logging of every process: warnings and errors only, never a message's text."""

from __future__ import annotations

import logging

from pythonjsonlogger.json import JsonFormatter


def configure_logging(form: str) -> None:
    """Warnings and errors on standard error, as text or one JSON object per line."""
    handler = logging.StreamHandler()
    if form == "json":
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
