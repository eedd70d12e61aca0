"""A throwaway PostgreSQL server of the machine's own binaries, which a test may stop and restart.

The shared server on port 5432 serves every other test; restarting it would break them, so the
resilience tests get a cluster of their own in a temporary directory on a free port.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from testbed.rasa import free_port


def _bindir() -> Path:
    """Where initdb and pg_ctl live (Debian keeps them off PATH)."""
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=True)
        if (Path(out.stdout.strip()) / "initdb").exists():
            return Path(out.stdout.strip())
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        raise RuntimeError("PostgreSQL's initdb is not installed")
    return versions[-1].parent


@dataclass
class PostgresServer:
    """A cluster in `directory`, listening on 127.0.0.1:`port`, trust authentication."""

    directory: Path
    port: int
    bindir: Path

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        """Run a server program as the postgres user when we are root (PostgreSQL refuses root)."""
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "start",
            "-w",
            "-D",
            str(self.directory),
            "-l",
            str(self.directory / "server.log"),
            "-o",
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1",
        )

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as in a restart by an administrator."""
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.directory))


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A new cluster, started; stopped and removed afterwards."""
    # Not under pytest's tmp_path: its parents are private to root; the server runs as postgres.
    directory = Path(tempfile.mkdtemp(prefix="primm-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    server = PostgresServer(directory, free_port(), _bindir())
    server._run("initdb", "-A", "trust", "-U", "postgres", "--no-sync", "-D", str(directory))
    server.start()
    try:
        yield server
    finally:
        if (directory / "postmaster.pid").exists():
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)
