"""The rosbridge simulator speaks rosbridge v2 as rosbridge_suite does for ROS 2 (raw JSON)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from catalog.models import HallMap
from robot_bridge.geometry import Pose2D, pose_stamped_msg
from robot_bridge.sim.rosbridge import RosbridgeSimulator, make_simulator, normalize_type
from tests.robot_bridge.conftest import SPEED_FACTOR, TICK_S, free_port

pytestmark = pytest.mark.anyio

REPO = Path(__file__).resolve().parents[2]
NAV = {"action": "/navigate_to_pose", "action_type": "nav2_msgs/action/NavigateToPose"}


@pytest.fixture
async def server(hall: HallMap) -> AsyncIterator[RosbridgeSimulator]:
    simulator = make_simulator(hall, "robot-south", speed_factor=SPEED_FACTOR, tick_s=TICK_S)
    await simulator.start()
    yield simulator
    await simulator.stop()


async def _send(ws: ClientConnection, **message: Any) -> None:
    await ws.send(json.dumps(message))


async def _next(ws: ClientConnection, op: str, timeout: float = 2.0, **match: Any) -> dict[str, Any]:
    """The next message with this op (and these fields), skipping others."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {op} {match}")
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), left))
        if message["op"] == op and all(message.get(k) == v for k, v in match.items()):
            return message


def _goal(x: float, y: float, frame: str = "map") -> dict[str, Any]:
    return {"pose": pose_stamped_msg(Pose2D(x, y, 0.0), time.time(), frame), "behavior_tree": ""}


async def test_pose_and_battery_arrive_on_subscribe(server: RosbridgeSimulator) -> None:
    async with connect(server.url) as ws:
        await _send(
            ws,
            op="subscribe",
            id="s1",
            topic="/amcl_pose",
            type="geometry_msgs/msg/PoseWithCovarianceStamped",
        )
        await _send(ws, op="subscribe", id="s2", topic="/battery_state", type="sensor_msgs/BatteryState")
        pose = await _next(ws, "publish", topic="/amcl_pose")
        battery = await _next(ws, "publish", topic="/battery_state")
    msg = pose["msg"]
    assert msg["header"]["frame_id"] == "map"
    assert set(msg["header"]["stamp"]) == {"sec", "nanosec"}
    assert msg["pose"]["pose"]["position"] == {"x": 60.0, "y": 4.0, "z": 0.0}
    assert set(msg["pose"]["pose"]["orientation"]) == {"x", "y", "z", "w"}
    assert len(msg["pose"]["covariance"]) == 36
    assert battery["msg"]["percentage"] == pytest.approx(0.9)
    assert battery["msg"]["present"] is True


async def test_speech_is_said_and_relayed_to_other_subscribers(server: RosbridgeSimulator) -> None:
    async with connect(server.url) as listener, connect(server.url) as talker:
        await _send(listener, op="subscribe", id="l1", topic="/speech", type="std_msgs/String")
        await _send(talker, op="advertise", id="a1", topic="/speech", type="std_msgs/msg/String")
        await asyncio.sleep(0.05)
        await _send(talker, op="publish", id="p1", topic="/speech", msg={"data": "请跟我来"})
        relayed = await _next(listener, "publish", topic="/speech")
        assert relayed["msg"] == {"data": "请跟我来"}
        assert [text for _, text in server.sim.said] == ["请跟我来"]
        # after unsubscribing, nothing more arrives
        await _send(listener, op="unsubscribe", id="l1", topic="/speech")
        await asyncio.sleep(0.05)
        await _send(talker, op="publish", topic="/speech", msg={"data": "第二句"})
        with pytest.raises(TimeoutError):
            await _next(listener, "publish", timeout=0.3, topic="/speech")
        await _send(talker, op="unadvertise", id="a1", topic="/speech")


async def test_type_conflicts_and_bad_messages_get_status_errors(server: RosbridgeSimulator) -> None:
    async with connect(server.url) as ws:
        await _send(ws, op="advertise", id="x1", topic="/speech", type="std_msgs/Int32")
        status = await _next(ws, "status", id="x1")
        assert status["level"] == "error" and "already has type" in status["msg"]
        await _send(ws, op="fly", id="x2")
        assert "Unknown operation" in (await _next(ws, "status", id="x2"))["msg"]
        await _send(ws, op="publish", id="x3", topic="/nowhere", msg={"data": 1})
        assert "Cannot infer topic type" in (await _next(ws, "status", id="x3"))["msg"]
        await _send(ws, op="subscribe", id="x4")
        assert "topic" in (await _next(ws, "status", id="x4"))["msg"]


async def test_rosapi_services(server: RosbridgeSimulator) -> None:
    async with connect(server.url) as ws:
        await _send(ws, op="call_service", id="c1", service="/rosapi/topics", args={})
        topics = await _next(ws, "service_response", id="c1")
        assert topics["result"] is True and topics["service"] == "/rosapi/topics"
        assert {"/amcl_pose", "/battery_state", "/speech"} <= set(topics["values"]["topics"])
        await _send(
            ws, op="call_service", id="c2", service="/rosapi/topic_type", args={"topic": "/amcl_pose"}
        )
        assert (await _next(ws, "service_response", id="c2"))["values"]["type"].endswith(
            "PoseWithCovarianceStamped"
        )
        await _send(ws, op="call_service", id="c3", service="/no_such_service", args={})
        refused = await _next(ws, "service_response", id="c3")
        assert refused["result"] is False and "does not exist" in refused["values"]


async def test_navigate_to_pose_feedback_and_result(server: RosbridgeSimulator) -> None:
    async with connect(server.url) as ws:
        await _send(ws, op="send_action_goal", id="g1", args=_goal(70.0, 8.0), feedback=True, **NAV)
        feedback = [await _next(ws, "action_feedback", id="g1")]
        result = await _next(ws, "action_result", id="g1")
    values = feedback[0]["values"]
    assert feedback[0]["action"] == "/navigate_to_pose"
    assert set(values) == {
        "current_pose",
        "navigation_time",
        "estimated_time_remaining",
        "number_of_recoveries",
        "distance_remaining",
    }
    assert values["current_pose"]["header"]["frame_id"] == "map"
    assert values["distance_remaining"] > 0
    assert result == {
        "op": "action_result",
        "id": "g1",
        "action": "/navigate_to_pose",
        "values": {"error_code": 0, "error_msg": ""},
        "status": 4,
        "result": True,
    }
    assert (server.sim.pose.x, server.sim.pose.y) == pytest.approx((70.0, 8.0))


async def test_cancel_action_goal(server: RosbridgeSimulator) -> None:
    async with connect(server.url) as ws:
        await _send(ws, op="send_action_goal", id="g2", args=_goal(3.0, 40.0), feedback=True, **NAV)
        await _next(ws, "action_feedback", id="g2")
        await _send(ws, op="cancel_action_goal", id="g2", action="/navigate_to_pose")
        result = await _next(ws, "action_result", id="g2")
    assert result["status"] == 5 and result["result"] is True
    assert server.sim.pose.x > 30.0  # stopped long before the west wall


async def test_refused_goals(server: RosbridgeSimulator) -> None:
    async with connect(server.url) as ws:
        await _send(ws, op="send_action_goal", id="g3", action="/dock", action_type="x/action/Dock", args={})
        unknown = await _next(ws, "action_result", id="g3")
        assert unknown["result"] is False and unknown["status"] == 0 and "not available" in unknown["values"]
        await _send(ws, op="send_action_goal", id="g4", args=_goal(50.0, 8.0, frame="odom"), **NAV)
        other_frame = await _next(ws, "action_result", id="g4")
        assert other_frame["status"] == 6 and other_frame["values"]["error_code"] == 9002
        await _send(ws, op="send_action_goal", id="g5", args={"pose": {}}, **NAV)
        malformed = await _next(ws, "action_result", id="g5")
        assert malformed["result"] is False


async def test_control_topic_blocks_the_next_goal(server: RosbridgeSimulator) -> None:
    async with connect(server.url) as ws:
        await _send(ws, op="advertise", id="a", topic="/sim/control", type="std_msgs/String")
        await _send(
            ws, op="publish", topic="/sim/control", msg={"data": json.dumps({"command": "block_next"})}
        )
        await _send(ws, op="send_action_goal", id="g6", args=_goal(70.0, 40.0), **NAV)
        blocked = await _next(ws, "action_result", id="g6")
        assert blocked["status"] == 6 and "blocked" in blocked["values"]["error_msg"]
        await _send(
            ws,
            op="publish",
            topic="/sim/control",
            msg={"data": json.dumps({"command": "battery", "level": 0.1})},
        )
        await asyncio.sleep(0.05)
    assert server.sim.battery == pytest.approx(0.1)


async def test_disconnect_drops_clients_and_refuses_while_down(server: RosbridgeSimulator) -> None:
    async with connect(server.url) as ws:
        await _send(ws, op="advertise", id="a", topic="/sim/control", type="std_msgs/String")
        await _send(
            ws,
            op="publish",
            topic="/sim/control",
            msg={"data": json.dumps({"command": "disconnect", "seconds": 0.3})},
        )
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 2.0)
            await asyncio.wait_for(ws.recv(), 2.0)
    with pytest.raises(InvalidStatus) as refused:
        async with connect(server.url):
            pass
    assert refused.value.response.status_code == 503
    await asyncio.sleep(0.4)
    async with connect(server.url) as ws:
        await _send(ws, op="call_service", id="c", service="/rosapi/get_time", args={})
        assert (await _next(ws, "service_response", id="c"))["result"] is True


def test_type_names_are_normalized() -> None:
    assert (
        normalize_type("geometry_msgs/msg/PoseWithCovarianceStamped")
        == "geometry_msgs/PoseWithCovarianceStamped"
    )
    assert normalize_type("nav2_msgs/action/NavigateToPose") == normalize_type("nav2_msgs/NavigateToPose")


def test_runs_from_the_command_line() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "robot_bridge.sim.rosbridge", "--port", str(port), "--robot", "robot-north"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert f"ws://127.0.0.1:{port}" in line

        async def ask() -> dict[str, Any]:
            async with connect(f"ws://127.0.0.1:{port}") as ws:
                await _send(ws, op="subscribe", id="s", topic="/amcl_pose")
                return await _next(ws, "publish", topic="/amcl_pose")

        assert asyncio.run(ask())["msg"]["pose"]["pose"]["position"]["y"] == 45.0
    finally:
        process.terminate()
        process.wait(5)
    unknown = subprocess.run(
        [sys.executable, "-m", "robot_bridge.sim.rosbridge", "--port", "0", "--robot", "robot-west"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=REPO,
    )
    assert unknown.returncode != 0 and "unknown robot 'robot-west'" in unknown.stderr
