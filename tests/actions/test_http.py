"""The actions' one HTTP helper against a real local server: JSON back, 404 as NotFound, and
errors, slowness and refusals as ServiceUnavailable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web

from actions.clients.http import NotFound, ServiceUnavailable, request_json

pytestmark = pytest.mark.asyncio


async def _ok(request: web.Request) -> web.Response:
    return web.json_response({"q": request.query.get("q")})


async def _missing(request: web.Request) -> web.Response:
    return web.json_response({"detail": "no such record"}, status=404)


async def _broken(request: web.Request) -> web.Response:
    return web.json_response({"detail": "boom"}, status=500)


async def _slow(request: web.Request) -> web.Response:
    await asyncio.sleep(0.5)
    return web.json_response({})


@pytest_asyncio.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/ok", _ok)
    app.router.add_get("/missing", _missing)
    app.router.add_get("/broken", _broken)
    app.router.add_get("/slow", _slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_json_comes_back(server: str) -> None:
    assert await request_json("GET", f"{server}/ok", 2, params={"q": "社保卡"}) == {"q": "社保卡"}


async def test_failures_become_the_two_exceptions_actions_handle(server: str) -> None:
    with pytest.raises(NotFound):
        await request_json("GET", f"{server}/missing", 2)
    with pytest.raises(ServiceUnavailable, match="HTTP 500"):
        await request_json("GET", f"{server}/broken", 2)
    with pytest.raises(ServiceUnavailable):
        await request_json("GET", f"{server}/slow", 0.1)
    await asyncio.sleep(0.5)  # let the slow handler finish before the server stops
    with pytest.raises(ServiceUnavailable):
        await request_json("GET", "http://127.0.0.1:9/nothing-listens", 2)
