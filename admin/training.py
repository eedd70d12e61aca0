"""Retraining from the tool: the Rasa server trains the published content, then loads it.

The tool sends the training data exported from its own database to the server's
`POST /model/train`, which saves the model into the server's `models` folder (a volume in
compose, where a restarted server starts with the newest), then swaps it in with `PUT /model`.
The tool needs no Rasa environment of its own. The running server keeps answering with the old
model until the new one is loaded, and keeps it when training or loading fails.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from nlu.training_data import training_payload
from storage.admin import RunStatus, TrainingRun

log = logging.getLogger(__name__)
LOG_TAIL = 6000  # characters of the outcome kept with the run
TRAIN_TIMEOUT = 3600.0  # seconds a training on the server may take
LOAD_TIMEOUT = 300.0  # seconds Rasa may take to load a model
SERVER_MODELS = "models"  # where POST /model/train saves, relative to the server's folder


class TrainingFailed(RuntimeError):
    """Rasa refused the data or found no model to train; the message says why."""


def rasa_error(response: httpx.Response) -> str:
    """Rasa's own explanation of a failed request, or its status line."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    message = body.get("message") if isinstance(body, dict) else None
    return f"Rasa {response.status_code}: {message or response.reason_phrase}"


@dataclass
class Trainer:
    """One training at a time for the whole tool."""

    sessions: sessionmaker[Session]
    nlu_url: str
    task: asyncio.Task[None] | None = None

    def busy(self) -> bool:
        """Whether a training is running now."""
        return self.task is not None and not self.task.done()

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

    def _payload(self) -> str:
        with self.sessions() as session:
            return training_payload(session)

    async def _run(self, run_id: int) -> None:
        try:
            payload = await asyncio.to_thread(self._payload)
            model = await self._train(payload)
            await self._load(model)
        except (TrainingFailed, httpx.HTTPError) as exc:
            log.warning("training run %s failed: %s", run_id, type(exc).__name__)
            self._finish(run_id, RunStatus.FAILED, None, f"{type(exc).__name__}: {exc}")
            return
        self._finish(run_id, RunStatus.SUCCEEDED, model, f"model: {model}")

    async def _train(self, payload: str) -> str:
        """The server's new model (or its newest, when nothing changed), as the server names it."""
        async with (
            httpx.AsyncClient(timeout=TRAIN_TIMEOUT) as client,
            client.stream(
                "POST",
                f"{self.nlu_url}/model/train",
                content=payload.encode(),
                headers={"Content-Type": "application/x-yaml"},
            ) as response,
        ):
            # The body is the model file itself, already saved on the server: not read here.
            if response.is_error:
                await response.aread()
                raise TrainingFailed(rasa_error(response))
            filename = response.headers.get("filename")
        if not filename:
            raise TrainingFailed("Rasa answered without naming the trained model")
        return f"{SERVER_MODELS}/{filename}"

    async def _load(self, model: str) -> None:
        """Swap the model of the running server, then warm it with one parse."""
        async with httpx.AsyncClient(timeout=LOAD_TIMEOUT) as client:
            response = await client.put(f"{self.nlu_url}/model", json={"model_file": model})
            if response.is_error:
                raise TrainingFailed(rasa_error(response))
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
