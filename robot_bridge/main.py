"""The robot bridge: greeter robots and guide screens behind a FastAPI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from catalog.loader import load_catalog
from common.offline_docs import add_offline_docs
from common.pii import install_log_masking
from common.security import refuse_default_secrets
from robot_bridge.api.routes import guide, health, kiosk, robots, screens
from robot_bridge.bridge import Bridge
from robot_bridge.settings import Settings, get_settings
from robot_bridge.sim import SimFleet


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    install_log_masking("uvicorn.access", "uvicorn.error")
    settings: Settings = app.state.settings
    app.state.hall = load_catalog(settings.catalog_dir).hall
    # Robots without a real URL are simulated (mode "sim"); production code never imports the simulator.
    simulators = SimFleet(settings, app.state.hall) if settings.mode == "sim" else None
    app.state.bridge = bridge = Bridge(settings, app.state.hall, simulators)
    app.state.http = httpx.AsyncClient(timeout=10.0)
    try:
        await bridge.start()
        yield
    finally:
        await bridge.stop()
        await app.state.http.aclose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings` (default: from the environment); tests pass their own."""
    app = FastAPI(title="政务导办 robot bridge", version="0.2.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    add_offline_docs(app)
    app.state.settings = settings or get_settings()
    for module in (health, guide, robots, screens, kiosk):
        app.include_router(module.router)
    return app


# before anything is served: development secrets only on loopback (docs/security.md)
refuse_default_secrets("robot bridge")
app = create_app()
