"""Client of the robot bridge: ask a robot to lead the visitor, and the screens to show the route."""

from __future__ import annotations

import logging
from typing import Any

from actions.clients.http import NotFound, ServiceUnavailable, request_json
from actions.settings import get_settings

logger = logging.getLogger(__name__)


async def _post(path: str, body: dict[str, Any]) -> dict[str, Any]:
    settings = get_settings()
    headers = {"Authorization": f"Bearer {settings.robot_bridge_token}"}
    try:
        result: dict[str, Any] = await request_json(
            "POST", f"{settings.robot_bridge_url}{path}", settings.timeout_seconds, json=body, headers=headers
        )
    except NotFound as error:
        # an unknown screen or place is the bridge refusing, which the visitor meets the same way
        raise ServiceUnavailable(f"robot bridge {path}: HTTP 404") from error
    return result


async def show_on_screen(screen_id: str, payload: dict[str, Any]) -> None:
    """POST /v1/screens/{id}/show; a screen that cannot be reached is not the visitor's problem."""
    try:
        await _post(f"/v1/screens/{screen_id}/show", payload)
    except ServiceUnavailable as error:
        logger.warning("could not show on screen %s: %s", screen_id, error)


async def request_guide(
    destination: str, session_id: str, robot_id: str | None = None, screen_id: str | None = None
) -> dict[str, Any]:
    """POST /v1/guide; raises ServiceUnavailable if the bridge is down or refuses."""
    body: dict[str, Any] = {"destination": destination, "session_id": session_id}
    if robot_id:
        body["robot_id"] = robot_id
    if screen_id:
        body["screen_id"] = screen_id
    return await _post("/v1/guide", body)
