"""A real Rasa server for the test session, on the model trained from the seed content."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from nlu import runtime
from shared.settings import Settings


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def rasa_server(
    settings: Settings, model: Path, url: str | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start `rasa run --enable-api` (on a free port unless given); stop it afterwards."""
    url = url or f"http://127.0.0.1:{free_port()}"
    local = settings.model_copy(update={"nlu": settings.nlu.model_copy(update={"url": url})})
    process = runtime.start_server(local, model)
    try:
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


async def restore(url: str, model: Path) -> None:
    """Load the session's model back into the session's server (after a test retrained it)."""
    async with httpx.AsyncClient(timeout=300) as client:
        (await client.put(f"{url}/model", json={"model_file": str(model)})).raise_for_status()
        (await client.post(f"{url}/model/parse", json={"text": "ciao"})).raise_for_status()
