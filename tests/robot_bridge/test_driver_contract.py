"""The RobotDriver contract, run over every implementation.

`inprocess` drives the simulated robot directly; `rosbridge` drives the same simulated
robot through the rosbridge simulator server with roslibpy, over a real WebSocket on
127.0.0.1.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from catalog.models import HallMap
from robot_bridge.drivers import Backoff, NavOutcome, RobotDriver, RobotOffline
from robot_bridge.drivers.rosbridge import RosbridgeDriver
from robot_bridge.geometry import Pose2D
from robot_bridge.sim.inprocess import InProcessDriver
from robot_bridge.sim.robot import SimRobot
from robot_bridge.sim.rosbridge import RosbridgeSimulator
from tests.robot_bridge.conftest import SPEED_FACTOR, TICK_S, eventually

pytestmark = pytest.mark.anyio

# in front of the social security windows, facing them (about 80 m from the north door)
SOCIAL_SECURITY = Pose2D(3.63, 15.35, 2.256)


@dataclass
class Rig:
    kind: str
    driver: RobotDriver
    sim: SimRobot
    connections: list[bool] = field(default_factory=list)

    async def start(self) -> None:
        await self.driver.start()
        assert await self.driver.wait_connected(3.0), f"{self.kind} driver did not connect"


@pytest.fixture(params=["inprocess", "rosbridge"])
async def rig(request: pytest.FixtureRequest, hall: HallMap) -> AsyncIterator[Rig]:
    robot = hall.robots[0]
    sim = SimRobot(hall, robot, speed_factor=SPEED_FACTOR, tick_s=TICK_S)
    backoff = Backoff(0.05, 0.2)
    server: RosbridgeSimulator | None = None
    driver: RobotDriver
    if request.param == "inprocess":
        await sim.start()
        driver = InProcessDriver(sim, backoff)
    else:
        server = RosbridgeSimulator(sim)
        await server.start()
        driver = RosbridgeDriver(robot.id, server.url, backoff, connect_timeout_s=1.0)
    rig = Rig(request.param, driver, sim)
    driver.on_connection_change(rig.connections.append)
    yield rig
    await driver.stop()
    if server is not None:
        await server.stop()
    else:
        await sim.stop()


def _near(pose: Pose2D | None, x: float, y: float, tolerance: float = 0.05) -> bool:
    return pose is not None and math.hypot(pose.x - x, pose.y - y) <= tolerance


async def test_is_a_robot_driver(rig: Rig) -> None:
    assert isinstance(rig.driver, RobotDriver)
    assert rig.driver.robot_id == "robot-north"
    assert not rig.driver.connected


async def test_connects_and_reports_pose_and_battery(rig: Rig) -> None:
    await rig.start()
    assert rig.connections == [True]
    home = rig.sim.robot.home
    assert await eventually(lambda: _near(rig.driver.status().pose, home.x, home.y))
    status = rig.driver.status()
    assert status.connected
    assert status.pose is not None and status.pose.theta == pytest.approx(home.theta, abs=1e-3)
    assert status.battery == pytest.approx(0.9)
    assert status.updated_at is not None and status.updated_at <= time.time()


async def test_speaks(rig: Rig) -> None:
    await rig.start()
    await rig.driver.speak("请跟我来")
    assert await eventually(lambda: [text for _, text in rig.sim.said] == ["请跟我来"])


async def test_navigates_with_feedback_and_arrives(rig: Rig) -> None:
    await rig.start()
    remaining: list[float] = []
    started = time.monotonic()
    result = await rig.driver.navigate(SOCIAL_SECURITY, remaining.append)
    elapsed = time.monotonic() - started
    assert result.outcome is NavOutcome.succeeded
    assert elapsed < 2.0
    # distance_remaining falls from the full path length to zero
    assert len(remaining) >= 5
    assert remaining[0] > 70.0 and remaining[-1] == pytest.approx(0.0, abs=1e-6)
    assert all(b <= a + 1e-9 for a, b in zip(remaining, remaining[1:], strict=False))
    assert _near(rig.sim.pose, SOCIAL_SECURITY.x, SOCIAL_SECURITY.y, 1e-6)
    assert rig.sim.pose.theta == pytest.approx(SOCIAL_SECURITY.theta, abs=1e-3)
    # the status follows the robot
    assert await eventually(lambda: _near(rig.driver.status().pose, SOCIAL_SECURITY.x, SOCIAL_SECURITY.y))
    assert await eventually(lambda: (rig.driver.status().battery or 1.0) < 0.9)


async def test_blocked_path_is_aborted(rig: Rig) -> None:
    await rig.start()
    rig.sim.block_next()
    result = await rig.driver.navigate(SOCIAL_SECURITY)
    assert result.outcome is NavOutcome.aborted
    assert "blocked" in result.message
    assert result.error_code != 0
    # the robot stopped part way, nowhere near the goal
    assert not _near(rig.sim.pose, SOCIAL_SECURITY.x, SOCIAL_SECURITY.y, 10.0)
    assert not rig.sim.moving
    # the fault was for one goal only
    home = rig.sim.robot.home
    assert (await rig.driver.navigate(Pose2D(home.x, home.y, home.theta))).outcome is NavOutcome.succeeded


async def test_cancel_stops_the_robot(rig: Rig) -> None:
    await rig.start()
    remaining: list[float] = []
    navigation = asyncio.create_task(rig.driver.navigate(SOCIAL_SECURITY, remaining.append))
    assert await eventually(lambda: len(remaining) >= 2)
    await rig.driver.cancel_navigation()
    result = await asyncio.wait_for(navigation, 2.0)
    assert result.outcome is NavOutcome.canceled
    assert not rig.sim.moving
    assert not _near(rig.sim.pose, SOCIAL_SECURITY.x, SOCIAL_SECURITY.y, 10.0)


async def test_cancelling_the_waiting_task_cancels_the_goal(rig: Rig) -> None:
    await rig.start()
    rig.sim.set_slow_start(5.0, goals=1)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(rig.driver.navigate(SOCIAL_SECURITY), 0.2)
    assert await eventually(lambda: not rig.sim.moving)


async def test_slow_start_delays_the_arrival(rig: Rig) -> None:
    await rig.start()
    rig.sim.set_slow_start(0.3, goals=1)
    started = time.monotonic()
    result = await rig.driver.navigate(SOCIAL_SECURITY)
    assert result.outcome is NavOutcome.succeeded
    assert time.monotonic() - started >= 0.3


async def test_lost_link_mid_navigation_raises_then_reconnects(rig: Rig) -> None:
    await rig.start()
    remaining: list[float] = []
    navigation = asyncio.create_task(rig.driver.navigate(SOCIAL_SECURITY, remaining.append))
    assert await eventually(lambda: len(remaining) >= 2)
    rig.sim.drop_link(0.4)
    with pytest.raises(RobotOffline):
        await asyncio.wait_for(navigation, 2.0)
    assert await eventually(lambda: not rig.driver.connected, 1.0)
    with pytest.raises(RobotOffline):
        await rig.driver.speak("有人吗")
    # the link comes back by itself, with backoff, and the driver works again
    assert await rig.driver.wait_connected(3.0)
    assert rig.connections == [True, False, True]
    await rig.driver.speak("我回来了")
    assert await eventually(lambda: [t for _, t in rig.sim.said] == ["我回来了"])


async def test_offline_robot_is_reported_and_joins_when_it_comes_up(rig: Rig) -> None:
    rig.sim.drop_link()
    await rig.driver.start()
    assert not await rig.driver.wait_connected(0.3)
    assert not rig.driver.status().connected
    with pytest.raises(RobotOffline):
        await rig.driver.speak("请跟我来")
    with pytest.raises(RobotOffline):
        await rig.driver.navigate(SOCIAL_SECURITY)
    assert rig.sim.said == []
    rig.sim.restore_link()
    assert await rig.driver.wait_connected(3.0)
    assert rig.connections == [True]
