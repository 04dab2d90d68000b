"""A greeter robot's voice turn through Rasa's robot channel reaches the robot bridge: the
robot that asked leads the visitor, and its nearest screen shows the route."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.e2e.services import Services, url

pytestmark = pytest.mark.e2e


def _robot(text: str, robot_id: str = "robot-north", **extra: object) -> httpx.Response:
    body = {"robot_id": robot_id, "session_id": uuid.uuid4().hex[:8], "text": text, **extra}
    return httpx.post(f"{url('rasa')}/webhooks/robot/webhook", json=body, timeout=30)


def test_where_is_social_security_leads_there_and_shows_the_route(services: Services) -> None:
    reply = _robot("社保在哪").json()
    speech = "".join(reply["speech"])
    assert "社保窗口" in speech and "十六到十九号窗口" in speech
    assert "http" not in speech and "【" not in speech
    guide = next(a for a in reply["actions"] if a["type"] == "guide_to")
    assert guide["destination"] == "sb-windows"
    bridge = guide["bridge"]
    assert bridge["robot"]["id"] == "robot-north" and bridge["robot_status"] == "dispatched"
    assert "screen-north" in [s["id"] for s in bridge["screens"]]
    robots = {r["id"]: r for r in httpx.get(f"{url('bridge')}/v1/robots", timeout=5).json()}
    task = robots["robot-north"]["current_task"]
    assert task is not None and task["destination"]["id"] == "sb-windows"


def test_bad_robot_requests_get_clear_errors(services: Services) -> None:
    assert _robot("社保在哪", robot_id="robot-west").status_code == 422
    empty = _robot("   ")
    assert empty.status_code == 200 and empty.json()["speech"]
