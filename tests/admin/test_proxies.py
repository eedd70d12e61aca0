"""X-Forwarded-For is believed only from the proxies the settings name: a client that forges it
keeps its own address (and the login throttle's count), through a real uvicorn."""

from __future__ import annotations

import asyncio

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from admin.server import server_config
from shared.settings import Settings
from testbed.rasa import free_port


async def address(request: Request) -> PlainTextResponse:
    """The client's address as the tool sees it (what the login throttle counts)."""
    return PlainTextResponse(request.client.host if request.client else "")


async def seen(settings: Settings, proxies: list[str]) -> str:
    """The address a local client forging X-Forwarded-For is seen with."""
    port = free_port()
    local = settings.model_copy(
        update={
            "admin": settings.admin.model_copy(update={"port": port, "trusted_proxies": proxies})
        }
    )
    server = uvicorn.Server(server_config(local, Starlette(routes=[Route("/", address)])))
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(200):  # uvicorn signals its start by this flag only
            if server.started:
                break
            await asyncio.sleep(0.05)
        async with httpx.AsyncClient() as client:
            response = await client.get(
                f"http://127.0.0.1:{port}/", headers={"x-forwarded-for": "203.0.113.9"}
            )
            return response.text
    finally:
        server.should_exit = True
        await serving


async def test_a_forged_forwarded_for_is_ignored_unless_from_a_named_proxy(
    settings: Settings,
) -> None:
    assert await seen(settings, []) == "127.0.0.1"
    assert await seen(settings, ["127.0.0.1"]) == "203.0.113.9"
