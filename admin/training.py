"""Retraining from the tool: `primm nlu train` in the background, then Rasa's `PUT /model`.

The running Rasa server keeps answering with the old model until the new one is loaded, and
keeps the old model when training or loading fails.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from admin.models import RunStatus, TrainingRun

log = logging.getLogger(__name__)
LOG_TAIL = 6000  # characters of the training log kept with the run
LOAD_TIMEOUT = 300.0  # seconds Rasa may take to load a model


def train_command() -> list[str]:
    """`primm nlu train` of this environment: exports the content, validates, trains if changed."""
    return [str(Path(sys.executable).with_name("primm")), "nlu", "train"]


def model_from_log(text: str) -> str | None:
    """The model path `primm nlu train` prints on its last line."""
    lines = [line for line in text.splitlines() if line.startswith("model: ")]
    return lines[-1].removeprefix("model: ").strip() if lines else None


@dataclass
class Trainer:
    """One training at a time for the whole tool."""

    sessions: sessionmaker[Session]
    database_url: str
    nlu_url: str
    log_dir: Path
    command: list[str] = field(default_factory=train_command)
    task: asyncio.Task[None] | None = None

    def busy(self) -> bool:
        """Whether a training is running now."""
        return self.task is not None and not self.task.done()

    def log_path(self, run_id: int) -> Path:
        """Where the output of a run goes while it runs."""
        return self.log_dir / f"training-{run_id}.log"

    def start(self, username: str) -> int:
        """Record a run and start it in the background; returns its id."""
        with self.sessions.begin() as session:
            run = TrainingRun(
                started_by=username, started_at=datetime.now(UTC), status=RunStatus.RUNNING
            )
            session.add(run)
            session.flush()
            run_id = run.id
        self.task = asyncio.create_task(self._run(run_id))
        return run_id

    async def wait(self) -> None:
        """Until the current run has finished (for tests and shutdown)."""
        if self.task is not None:
            await asyncio.shield(self.task)

    async def _run(self, run_id: int) -> None:
        path = self.log_path(run_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("wb") as output:
                process = await asyncio.create_subprocess_exec(
                    *self.command,
                    stdout=output,
                    stderr=asyncio.subprocess.STDOUT,
                    stdin=asyncio.subprocess.DEVNULL,
                    env={**os.environ, "DATABASE_URL": self.database_url},
                )
                code = await process.wait()
            text = path.read_text(encoding="utf-8", errors="replace")
            model = model_from_log(text)
            if code != 0 or model is None:
                self._finish(run_id, RunStatus.FAILED, None, f"{text}\nexit code {code}")
                return
            await self._load(model)
        except (OSError, httpx.HTTPError) as exc:
            log.exception("training run %s failed", run_id)
            self._finish(run_id, RunStatus.FAILED, None, f"{type(exc).__name__}: {exc}")
            return
        self._finish(run_id, RunStatus.SUCCEEDED, model, text)

    async def _load(self, model: str) -> None:
        """Swap the model of the running server, then warm it with one parse."""
        async with httpx.AsyncClient(timeout=LOAD_TIMEOUT) as client:
            response = await client.put(f"{self.nlu_url}/model", json={"model_file": model})
            response.raise_for_status()
            warm = await client.post(f"{self.nlu_url}/model/parse", json={"text": "ciao"})
            warm.raise_for_status()

    def _finish(self, run_id: int, status: RunStatus, model: str | None, text: str) -> None:
        with self.sessions.begin() as session:
            run = session.get(TrainingRun, run_id)
            if run is not None:
                run.status = status
                run.model = model
                run.finished_at = datetime.now(UTC)
                run.log = text[-LOG_TAIL:]


def recent_runs(session: Session, limit: int = 10) -> list[TrainingRun]:
    """The newest runs first."""
    return list(session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(limit)))
