"""Retraining from the tool: the Rasa server trains the published content, then loads it.

The tool sends the training data exported from its own database to the server's
`POST /model/train`, which saves the model into the server's `models` folder (a volume in
compose, where a restarted server starts with the newest), then swaps it in with `PUT /model`.
The tool needs no Rasa environment of its own. The running server keeps answering with the old
model until the new one is loaded, and keeps it when training or loading fails.

A run is a job in the database rather than a task of one process: the database allows one
running row (a partial unique index), the process that holds it says so every `heartbeat`
seconds, and a run whose process has stopped or died is marked interrupted, at the tool's
start and whenever the page or a new start looks, so the button never stays disabled for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from nlu.training_data import training_payload
from storage.admin import RunStatus, TrainingRun

log = logging.getLogger(__name__)
LOG_TAIL = 6000  # characters of the outcome kept with the run
TRAIN_TIMEOUT = 3600.0  # seconds a training on the server may take
LOAD_TIMEOUT = 300.0  # seconds Rasa may take to load a model
SERVER_MODELS = "models"  # where POST /model/train saves, relative to the server's folder
HEARTBEAT = 30.0  # seconds between a running process's signs of life
STOPPED = "The admin tool stopped during this training."
VANISHED = "The process running this training stopped answering (killed or crashed)."
_LIVE: set[str] = set()  # holders of the trainers of this process


class TrainingFailed(RuntimeError):
    """Rasa refused the data or found no model to train; the message says why."""


class AlreadyRunning(RuntimeError):
    """Another run, of this process or another one, holds the only running place."""


def this_process() -> str:
    """Who holds a run: host, process id and a token of this start (a restarted container
    often gets the same pid back)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def process_gone(holder: str, me: str) -> bool:
    """Whether the process named by `holder` cannot be running any more, seen from `me`."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if holder == me or host != me.partition(":")[0] or not pid.isdigit():
        return False  # itself, or another machine: only its heartbeat can tell
    if int(pid) == os.getpid():
        return holder not in _LIVE  # this pid: a trainer of this process, or an earlier start
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False


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
    """One training at a time for the whole tool, across all its processes."""

    sessions: sessionmaker[Session]
    nlu_url: str
    heartbeat: float = HEARTBEAT
    task: asyncio.Task[None] | None = None
    holder: str = field(default_factory=this_process)

    def __post_init__(self) -> None:
        _LIVE.add(self.holder)

    def recover(self) -> int:
        """Mark interrupted the runs no live process holds; how many there were."""
        stale = datetime.now(UTC) - timedelta(seconds=3 * self.heartbeat)
        with self.sessions.begin() as session:
            runs = session.scalars(
                select(TrainingRun).where(TrainingRun.status == RunStatus.RUNNING)
            ).all()
            gone = 0
            for run in runs:
                if process_gone(run.holder, self.holder):
                    self._close(run, RunStatus.INTERRUPTED, None, STOPPED)
                elif (run.heartbeat_at or run.started_at) < stale:
                    self._close(run, RunStatus.INTERRUPTED, None, VANISHED)
                else:
                    continue
                gone += 1
        if gone:
            log.warning("marked %d training run(s) interrupted", gone)
        return gone

    def start(self, username: str) -> int:
        """Record a run and start it in the background; returns its id.

        Raises:
            AlreadyRunning: a live run holds the place (the database refused a second one).
        """
        self.recover()
        now = datetime.now(UTC)
        try:
            with self.sessions.begin() as session:
                run = TrainingRun(
                    started_by=username,
                    started_at=now,
                    status=RunStatus.RUNNING,
                    holder=self.holder,
                    heartbeat_at=now,
                )
                session.add(run)
                session.flush()
                run_id = run.id
        except IntegrityError as exc:
            raise AlreadyRunning from exc
        self.task = asyncio.create_task(self._run(run_id))
        return run_id

    async def wait(self) -> None:
        """Until the current run has finished (for tests)."""
        if self.task is not None:
            await asyncio.shield(self.task)

    async def stop(self) -> None:
        """End this process's run as interrupted (the process is stopping)."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        # A run cancelled before its task first ran never reached its own handler.
        await asyncio.to_thread(self._release)

    def _release(self) -> None:
        with self.sessions.begin() as session:
            held = select(TrainingRun).where(
                TrainingRun.status == RunStatus.RUNNING, TrainingRun.holder == self.holder
            )
            for run in session.scalars(held):
                self._close(run, RunStatus.INTERRUPTED, None, STOPPED)

    def _payload(self) -> str:
        with self.sessions() as session:
            return training_payload(session)

    async def _run(self, run_id: int) -> None:
        beating = asyncio.create_task(self._beat(run_id))
        try:
            payload = await asyncio.to_thread(self._payload)
            model = await self._train(payload)
            await self._load(model)
        except (TrainingFailed, httpx.HTTPError) as exc:
            log.warning("training run %s failed: %s", run_id, type(exc).__name__)
            self._finish(run_id, RunStatus.FAILED, None, f"{type(exc).__name__}: {exc}")
            return
        except asyncio.CancelledError:
            self._finish(run_id, RunStatus.INTERRUPTED, None, STOPPED)
            raise
        finally:
            beating.cancel()
        self._finish(run_id, RunStatus.SUCCEEDED, model, f"model: {model}")

    async def _beat(self, run_id: int) -> None:
        """Say every `heartbeat` seconds that this process still runs the training."""
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                await asyncio.to_thread(self._touch, run_id)
            except SQLAlchemyError as exc:  # the database away a moment: beat again next time
                log.warning("training run %s heartbeat failed: %s", run_id, type(exc).__name__)

    def _touch(self, run_id: int) -> None:
        with self.sessions.begin() as session:
            session.execute(
                update(TrainingRun)
                .where(TrainingRun.id == run_id, TrainingRun.status == RunStatus.RUNNING)
                .values(heartbeat_at=datetime.now(UTC))
            )

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
            # Another process may have judged it gone meanwhile: its verdict stands.
            if run is not None and run.status is RunStatus.RUNNING:
                self._close(run, status, model, text)

    @staticmethod
    def _close(run: TrainingRun, status: RunStatus, model: str | None, text: str) -> None:
        run.status = status
        run.model = model
        run.finished_at = datetime.now(UTC)
        run.log = text[-LOG_TAIL:]


def recent_runs(session: Session, limit: int = 10) -> list[TrainingRun]:
    """The newest runs first."""
    return list(session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(limit)))
