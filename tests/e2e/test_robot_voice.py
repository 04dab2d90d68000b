"""A greeter robot's voice turn through Rasa's robot channel reaches the robot bridge: the
robot that asked leads the visitor, and its nearest screen shows the route."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.e2e.services import ROBOT_AUTH, Services, url

pytestmark = pytest.mark.e2e


def _robot(text: str, robot_id: str = "robot-north", **extra: object) -> httpx.Response:
    body = {"robot_id": robot_id, "session_id": uuid.uuid4().hex[:8], "text": text, **extra}
    return httpx.post(f"{url('rasa')}/webhooks/robot/webhook", json=body, headers=ROBOT_AUTH, timeout=30)


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


def test_the_best_understood_nbest_hypothesis_is_answered(services: Services) -> None:
    nbest = [
        {"text": "设备卡丢了怎么办", "confidence": 0.82},
        {"text": "社保卡丢了怎么办", "confidence": 0.8},
    ]
    reply = _robot("", nbest=nbest).json()
    assert "社会保障卡挂失补换" in "".join(reply["speech"])


def test_a_doubtful_guide_request_is_confirmed_before_the_robot_moves(services: Services) -> None:
    session = uuid.uuid4().hex[:8]

    def turn(text: str, confidence: float) -> dict[str, object]:
        body = {"robot_id": "robot-south", "session_id": session, "text": text, "asr_confidence": confidence}
        response = httpx.post(f"{url('rasa')}/webhooks/robot/webhook", json=body, headers=ROBOT_AUTH, timeout=30)
        response.raise_for_status()
        result: dict[str, object] = response.json()
        return result

    asked = turn("带我去公积金窗口", 0.42)
    assert asked == {"speech": ["您是说“带我去公积金窗口”吗？请说“是”或者“不是”。"], "actions": []}
    robots = {r["id"]: r for r in httpx.get(f"{url('bridge')}/v1/robots", timeout=5).json()}
    assert robots["robot-south"]["current_task"] is None  # nothing moved yet
    confirmed = turn("是的", 0.9)
    guide = next(a for a in confirmed["actions"] if a["type"] == "guide_to")  # type: ignore[attr-defined, index]
    assert guide["bridge"]["robot"]["id"] == "robot-south"
    assert "公积金窗口" in "".join(confirmed["speech"])  # type: ignore[arg-type]


def test_malformed_nbest_is_refused(services: Services) -> None:
    response = _robot("社保在哪", nbest=[{"confidence": 0.5}])
    assert response.status_code == 422 and "nbest[1]" in response.json()["error"]
