"""Waiting in async tests for something that happens in the background."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def wait_for(condition: Callable[[], object], seconds: float = 5.0) -> None:
    """Poll `condition` every 50 ms until it is true; fail the test after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")
