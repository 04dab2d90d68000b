"""The robot bridge: greeter robots and guide screens behind a FastAPI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from knowledge.catalog.loader import load_catalog
from robot_bridge.settings import get_settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.hall = load_catalog(get_settings().catalog_dir).hall
    yield


app = FastAPI(title="政务导办 robot bridge", version="0.1.0", lifespan=lifespan)


@app.get("/healthz", tags=["health"])
def read_health() -> dict[str, object]:
    """Report that the bridge is up, with the robots and screens it knows from the hall map."""
    hall = app.state.hall
    return {
        "status": "ok",
        "robots": [r.id for r in hall.robots],
        "screens": [s.id for s in hall.screens],
    }
