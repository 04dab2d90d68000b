"""Client of the robot bridge: ask a robot to lead the visitor, and the screens to show the route."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from actions.clients.knowledge import ServiceUnavailable
from actions.settings import get_settings


async def request_guide(
    destination: str, session_id: str, robot_id: str | None = None, screen_id: str | None = None
) -> dict[str, Any]:
    """POST /v1/guide; raises ServiceUnavailable if the bridge is down or refuses."""
    settings = get_settings()
    body: dict[str, Any] = {"destination": destination, "session_id": session_id}
    if robot_id:
        body["robot_id"] = robot_id
    if screen_id:
        body["screen_id"] = screen_id
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=settings.timeout_seconds)) as session:
            async with session.post(
                f"{settings.robot_bridge_url}/v1/guide",
                json=body,
                headers={"Authorization": f"Bearer {settings.robot_bridge_token}"},
            ) as response:
                if response.status >= 400:
                    raise ServiceUnavailable(f"robot bridge: HTTP {response.status}")
                result: dict[str, Any] = await response.json()
                return result
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        raise ServiceUnavailable(f"robot bridge: {error!r}") from error
