"""Liveness and readiness for orchestrators, and the metrics endpoint, on one small ASGI app."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator

import httpx
import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from shared.settings import Settings

CHECK_SECONDS = 2.0


def database_ok(engine: Engine) -> bool:
    """The database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


async def rasa_ok(url: str) -> bool:
    """The Rasa server answers its status endpoint."""
    try:
        async with httpx.AsyncClient(timeout=CHECK_SECONDS) as client:
            return (await client.get(f"{url}/status")).status_code == httpx.codes.OK
    except httpx.HTTPError:
        return False


def health_routes(engine: Engine, rasa_url: str) -> list[BaseRoute]:
    """`/healthz` (the process runs) and `/readyz` (database and Rasa), for any service's app.

    Not ready means the database is down. Rasa down is reported but still ready: the bot then
    answers from full-text search.
    """

    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_request: Request) -> JSONResponse:
        database = await asyncio.to_thread(database_ok, engine)
        rasa = await rasa_ok(rasa_url)
        body = {"database": database, "rasa": rasa, "ready": database}
        return JSONResponse(body, status_code=200 if database else 503)

    return [Route("/healthz", healthz), Route("/readyz", readyz)]


async def metrics(_request: Request) -> Response:
    """Prometheus's text format at `/metrics` itself, where scrapers ask (no redirect)."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def health_app(engine: Engine, rasa_url: str) -> Starlette:
    """The health routes and `/metrics` (Prometheus), for the processes that serve no web app."""
    return Starlette(routes=[*health_routes(engine, rasa_url), Route("/metrics", metrics)])


class EmbeddedServer(uvicorn.Server):
    """Uvicorn inside a process that handles its own signals (uvicorn would take them over)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def health_server(settings: Settings, engine: Engine) -> AsyncIterator[None]:
    """Serve `health_app` beside the bot while the block runs (unless its port is 0)."""
    if settings.health.port == 0:
        yield
        return
    config = uvicorn.Config(
        health_app(engine, settings.nlu.url),
        host=settings.health.listen,
        port=settings.health.port,
        log_level="warning",
        lifespan="off",
    )
    # Bound before the block starts, so a bad port fails here and early requests just queue.
    listening = socket.create_server((settings.health.listen, settings.health.port))
    server = EmbeddedServer(config)
    task = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        yield
    finally:
        server.should_exit = True
        await task
        listening.close()
