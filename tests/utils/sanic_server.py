"""A real Sanic server on 127.0.0.1 for an app or one channel blueprint (bot env), as Rasa mounts it."""

from __future__ import annotations

import itertools
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sanic import Blueprint, Sanic

_apps = itertools.count()


@asynccontextmanager
async def serve_app(app: Sanic, run_before_start: bool = False) -> AsyncIterator[str]:
    """Serve `app` on a free 127.0.0.1 port; yields the base URL. `run_before_start` also runs its
    before-server-start listeners (where Rasa's channels and CORS hook themselves in)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    assert server is not None
    await server.startup()
    if run_before_start:
        await server.before_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


@asynccontextmanager
async def serve_blueprint(blueprint: Blueprint, url_prefix: str, agent: Any = None) -> AsyncIterator[str]:
    """Serve `blueprint` under `url_prefix` on a free port; yields the base URL. `agent` stands for
    Rasa's (app.ctx.agent), for channels that read its tracker store."""
    # what sanic-testing does: lets Sanic's start-up rewriting run again for each app of the process
    Sanic.test_mode = True
    app = Sanic(f"channel_test_{next(_apps)}")
    if agent is not None:
        app.ctx.agent = agent
    app.blueprint(blueprint, url_prefix=url_prefix)
    async with serve_app(app) as base:
        yield base
