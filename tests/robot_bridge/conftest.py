"""Fixtures and helpers of the robot bridge tests: the sample hall, fast settings, polling."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from typing import Any

import pytest

from catalog.loader import load_catalog
from catalog.models import HallMap
from robot_bridge.settings import Settings

# Simulated robots walk 200x faster than people: an 80 m guide takes about 0.4 s each way.
SPEED_FACTOR = 200.0
TICK_S = 0.01


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def hall() -> HallMap:
    return load_catalog().hall


def fast_settings(**overrides: Any) -> Settings:
    """Settings for tests: fast robots, short waits, quick reconnects."""
    values: dict[str, Any] = {
        "sim_speed_factor": SPEED_FACTOR,
        "sim_tick_s": TICK_S,
        "arrival_wait_s": 0.05,
        "nav_timeout_s": 3.0,
        "reconnect_initial_s": 0.05,
        "reconnect_max_s": 0.2,
        "connect_timeout_s": 1.0,
        "screen_clear_s": 30.0,
        "token": "test-token",
        "rasa_url": "http://127.0.0.1:9/webhooks/screen/webhook",
        "knowledge_url": "http://127.0.0.1:9",
    }
    values.update(overrides)
    return Settings(**values)


async def eventually(check: Callable[[], bool], timeout: float = 3.0, interval: float = 0.01) -> bool:
    """Poll `check` until it holds or `timeout` passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(interval)
    return check()


def wait_until(check: Callable[[], bool], timeout: float = 5.0, interval: float = 0.02) -> bool:
    """The blocking `eventually`, for tests driving a TestClient or a browser."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return check()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
