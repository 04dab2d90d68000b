"""A real Sanic server on 127.0.0.1 for one channel blueprint (bot env), as Rasa mounts it."""

from __future__ import annotations

import itertools
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sanic import Blueprint, Sanic

_apps = itertools.count()


@asynccontextmanager
async def serve_blueprint(blueprint: Blueprint, url_prefix: str) -> AsyncIterator[str]:
    """Serve `blueprint` under `url_prefix` on a free port; yields the base URL."""
    # what sanic-testing does: lets Sanic's start-up rewriting run again for each app of the process
    Sanic.test_mode = True
    app = Sanic(f"channel_test_{next(_apps)}")
    app.blueprint(blueprint, url_prefix=url_prefix)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    assert server is not None
    await server.startup()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()
