"""Logging of every process: warnings and errors only, never a message's text."""

from __future__ import annotations

import logging
import traceback

from pythonjsonlogger.json import JsonFormatter


def configure_logging(form: str) -> None:
    """Warnings and errors on standard error, as text or one JSON object per line."""
    handler = logging.StreamHandler()
    if form == "json":
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)


def failure(error: BaseException) -> str:
    """An exception as a log may keep it: its type and stack, never its message, which may
    quote what a user wrote (PostgreSQL's "Failing row contains ...")."""
    return f"{type(error).__name__}\n{''.join(traceback.format_tb(error.__traceback__))}"
