"""Running the `primm` command against the seeded database and a given NLU server."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess

from sqlalchemy.orm import Session, sessionmaker

from shared.settings import ROOT

PRIMM = str(ROOT / ".venv" / "bin" / "primm")


def run_primm(
    seeded: sessionmaker[Session], nlu_url: str, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `primm ARGS`; raises if it exits non-zero."""
    database = seeded.kw["bind"].url.render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": database, "PRIMM_NLU__URL": nlu_url}
    return subprocess.run(
        [PRIMM, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )


async def stopped(process: asyncio.subprocess.Process, seconds: float = 60) -> int:
    """Ask a `primm` process to stop as a service manager does; return its exit status."""
    process.send_signal(signal.SIGTERM)
    async with asyncio.timeout(seconds):
        return await process.wait()
