"""The guide lifecycle on simulated robots: lead, announce, wait, return; and every fault."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from catalog.models import HallMap
from robot_bridge.bridge import Bridge, UnknownId
from robot_bridge.guide import GuideNotCancellable, GuideNotFound, GuideOutcome, RobotAgent, RobotState
from robot_bridge.sim import SimFleet
from tests.robot_bridge.conftest import eventually, fast_settings

pytestmark = pytest.mark.anyio

BridgeFactory = Callable[..., Awaitable[Bridge]]


@pytest.fixture
async def make_bridge(hall: HallMap) -> AsyncIterator[BridgeFactory]:
    started: list[Bridge] = []

    async def make(**overrides: Any) -> Bridge:
        settings = fast_settings(**overrides)
        bridge = Bridge(settings, hall, SimFleet(settings, hall))
        await bridge.start()
        started.append(bridge)
        assert await eventually(lambda: all(a.driver.connected for a in bridge.agents.values()))
        return bridge

    yield make
    for bridge in started:
        await bridge.stop()


@contextlib.asynccontextmanager
async def watch(agent: RobotAgent) -> AsyncIterator[list[RobotState]]:
    """Record the robot's state changes while the block runs."""
    seen: list[RobotState] = [agent.state]

    async def sample() -> None:
        while True:
            if agent.state is not seen[-1]:
                seen.append(agent.state)
            await asyncio.sleep(0.002)

    sampler = asyncio.create_task(sample())
    try:
        yield seen
    finally:
        sampler.cancel()


def said(bridge: Bridge, robot_id: str) -> list[str]:
    return [text for _, text in bridge.simulators.sims[robot_id].said]


def kinds(agent: RobotAgent) -> list[str]:
    return [e.type for e in agent.events if e.type not in ("progress", "said", "connected")]


def at_home(bridge: Bridge, robot_id: str) -> bool:
    home, pose = bridge.robots[robot_id].home, bridge.simulators.sims[robot_id].pose
    return abs(pose.x - home.x) < 1e-6 and abs(pose.y - home.y) < 1e-6


async def test_full_guide_speaks_leads_announces_waits_and_returns(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge()
    agent = bridge.agents["robot-north"]
    started = time.monotonic()
    async with watch(agent) as states:
        plan = await bridge.request_guide("sb-windows", "visitor-1", robot_id="robot-north")
        assert plan.robot_status == "dispatched" and plan.task is not None
        assert plan.message == "请跟我来，我带您去社保窗口，在16到19号窗口办理。"
        assert [d.screen.id for d in plan.screens] == ["screen-north"]
        assert await eventually(lambda: agent.state is RobotState.idle and agent.task is None, 3.0)
    assert time.monotonic() - started < 2.0
    assert states == [
        RobotState.idle,
        RobotState.leading,
        RobotState.waiting,
        RobotState.returning,
        RobotState.idle,
    ]
    assert said(bridge, "robot-north") == [
        "请跟我来，我带您去社保窗口。",
        "社保窗口到了，在16到19号窗口办理。",
    ]
    assert kinds(agent) == ["guide_started", "navigating", "arrived", "returning", "home"]
    assert any(e.type == "progress" for e in agent.events)
    task = plan.task
    assert task.outcome is GuideOutcome.arrived and task.ended_at is not None
    assert agent.last_task is task
    assert at_home(bridge, "robot-north")
    # the robot stood in front of the windows before it came back
    assert task.goal.x < 5.0 and 14.0 < task.goal.y < 17.0


async def test_busy_robot_answers_honestly_and_offers_the_other(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge()
    first = await bridge.request_guide("sb-windows", "visitor-1", robot_id="robot-north")
    second = await bridge.request_guide("gjj-windows", "visitor-2", robot_id="robot-north")
    assert second.robot_status == "busy" and second.task is None
    assert second.offer is not None and second.offer.id == "robot-south"
    assert "正在为其他访客带路" in second.message and "南门迎宾机器人现在空闲" in second.message
    assert "公积金窗口在您的" in second.message and "北门指路屏" in second.message
    # the route went to the robot's own screen instead
    assert [d.screen.id for d in second.screens] == ["screen-north"]
    assert bridge.hub.current["screen-north"][0]["destination"]["id"] == "gjj-windows"
    assert bridge.hub.current["screen-north"][0]["robot"]["status"] == "busy"
    assert "guide_declined" in kinds(bridge.agents["robot-north"])
    # the first guide was not disturbed
    assert first.task is not None and bridge.agents["robot-north"].task is first.task
    # with both robots busy nobody is offered
    await bridge.request_guide("consult-desk", "visitor-3", robot_id="robot-south")
    third = await bridge.request_guide("restroom", "visitor-4", robot_id="robot-north")
    assert third.robot_status == "busy" and third.offer is None
    assert await eventually(lambda: all(a.task is None for a in bridge.agents.values()), 3.0)


async def test_offline_robot_gets_the_route_on_a_screen(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge()
    bridge.simulators.sims["robot-south"].drop_link()
    agent = bridge.agents["robot-south"]
    assert await eventually(lambda: agent.state is RobotState.offline)
    plan = await bridge.request_guide("nursing-room", "visitor-1", robot_id="robot-south", screen_id="screen-south")
    assert plan.robot_status == "offline" and plan.task is None
    assert "暂时无法连接" in plan.message and "母婴休息室在您的" in plan.message
    assert plan.offer is not None and plan.offer.id == "robot-north"
    assert [d.screen.id for d in plan.screens] == ["screen-south"]
    assert plan.route.steps[-1] == "到达母婴休息室"
    assert bridge.simulators.sims["robot-south"].said == []
    assert [e.type for e in agent.events][-2:] == ["disconnected", "guide_declined"]


async def test_low_battery_robot_stays_home(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge()
    bridge.simulators.sims["robot-north"].set_battery(0.05)
    plan = await bridge.request_guide("sb-windows", "visitor-1", robot_id="robot-north")
    assert plan.robot_status == "low_battery" and "电量不足" in plan.message


@pytest.mark.parametrize("transport", ["direct", "rosbridge"])
async def test_lost_link_mid_guide_reports_shows_route_and_returns_home_later(
    make_bridge: BridgeFactory, transport: str
) -> None:
    bridge = await make_bridge(sim_transport=transport)
    agent, sim = bridge.agents["robot-north"], bridge.simulators.sims["robot-north"]
    plan = await bridge.request_guide("gjj-windows", "visitor-1", robot_id="robot-north")
    task = plan.task
    assert task is not None
    assert await eventually(lambda: (task.distance_remaining or 0) > 0 and sim.moving)
    sim.drop_link(0.4)
    assert await eventually(lambda: task.outcome is GuideOutcome.connection_lost, 2.0)
    assert agent.state is RobotState.offline
    assert not agent.availability()[0]
    # the visitor keeps the route: re-shown on the screen with what happened
    shown = bridge.hub.current["screen-north"][0]
    assert shown["type"] == "route" and shown["destination"]["id"] == "gjj-windows"
    assert shown["robot"]["status"] == "connection_lost" and "连接中断" in shown["robot"]["text"]
    # back online: the robot apologises and goes home
    assert await eventually(lambda: agent.state is RobotState.idle and at_home(bridge, "robot-north"), 4.0)
    assert "抱歉，刚才网络中断了，我先回门口。" in said(bridge, "robot-north")
    assert kinds(agent)[-5:] == ["disconnected", "guide_interrupted", "reconnected", "returning", "home"]


async def test_blocked_path_is_reported_and_the_robot_returns(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge()
    agent, sim = bridge.agents["robot-south"], bridge.simulators.sims["robot-south"]
    sim.block_next()
    plan = await bridge.request_guide("bdc-windows", "visitor-1", robot_id="robot-south")
    task = plan.task
    assert task is not None
    assert await eventually(lambda: agent.state is RobotState.idle and agent.task is None, 3.0)
    assert task.outcome is GuideOutcome.navigation_failed
    failed = next(e for e in agent.events if e.type == "nav_failed")
    assert "blocked" in failed.text and failed.guide_id == task.id
    assert "抱歉，前面的路走不通，请按指路屏上的路线前往不动产登记窗口。" in said(bridge, "robot-south")
    assert kinds(agent)[-3:] == ["nav_failed", "returning", "home"]
    assert at_home(bridge, "robot-south")
    assert bridge.hub.current["screen-south"][0]["robot"]["status"] == "navigation_failed"


async def test_navigation_timeout_cancels_the_goal_and_returns(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge(nav_timeout_s=0.3)
    agent, sim = bridge.agents["robot-north"], bridge.simulators.sims["robot-north"]
    sim.set_slow_start(5.0, goals=1)
    plan = await bridge.request_guide("restroom", "visitor-1", robot_id="robot-north")
    assert plan.task is not None
    assert await eventually(lambda: agent.state is RobotState.idle and agent.task is None, 3.0)
    assert plan.task.outcome is GuideOutcome.navigation_timeout
    assert kinds(agent)[-3:] == ["nav_timeout", "returning", "home"]
    assert at_home(bridge, "robot-north")


async def test_failed_return_needs_staff_and_home_command_clears_it(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge()
    agent, sim = bridge.agents["robot-north"], bridge.simulators.sims["robot-north"]
    sim.block_next(2)  # the way there and the way back
    await bridge.request_guide("sb-windows", "visitor-1", robot_id="robot-north")
    assert await eventually(lambda: agent.state is RobotState.error, 3.0)
    assert agent.availability() == (False, "error")
    assert "需要工作人员协助" in agent.events[-1].text
    plan = await bridge.request_guide("sb-windows", "visitor-2", robot_id="robot-north")
    assert plan.robot_status == "error" and "需要工作人员检修" in plan.message
    await agent.send_home()
    assert await eventually(lambda: agent.state is RobotState.idle and at_home(bridge, "robot-north"), 3.0)
    assert agent.last_error is None


async def test_cancel_while_leading(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge()
    agent, sim = bridge.agents["robot-north"], bridge.simulators.sims["robot-north"]
    plan = await bridge.request_guide("gjj-windows", "visitor-1", robot_id="robot-north")
    task = plan.task
    assert task is not None
    assert await eventually(lambda: sim.moving and (task.distance_remaining or 0) > 20)
    cancelled = await bridge.cancel_guide(task.id)
    assert cancelled is task
    assert await eventually(lambda: agent.state is RobotState.idle and agent.task is None, 3.0)
    assert task.outcome is GuideOutcome.cancelled
    assert "arrived" not in kinds(agent)
    assert said(bridge, "robot-north")[-1] == "好的，我先回去了。"
    assert at_home(bridge, "robot-north")
    with pytest.raises(GuideNotFound):
        await bridge.cancel_guide(task.id)
    with pytest.raises(UnknownId):
        await bridge.cancel_guide("g-nope")


async def test_cancel_while_waiting_returns_at_once(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge(arrival_wait_s=30.0)
    agent = bridge.agents["robot-south"]
    plan = await bridge.request_guide("consult-desk", "visitor-1", robot_id="robot-south")
    task = plan.task
    assert task is not None
    assert await eventually(lambda: agent.state is RobotState.waiting, 2.0)
    await bridge.cancel_guide(task.id)
    assert await eventually(lambda: agent.state is RobotState.idle, 2.0)
    assert task.outcome is GuideOutcome.arrived  # the visitor got there; only the wait was cut
    assert kinds(agent)[-4:] == ["arrived", "guide_cancelled", "returning", "home"]


async def test_cancel_is_refused_once_the_robot_is_returning(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge()
    agent = bridge.agents["robot-north"]
    plan = await bridge.request_guide("sb-windows", "visitor-1", robot_id="robot-north")
    assert plan.task is not None
    assert await eventually(lambda: agent.state is RobotState.returning, 3.0)
    with pytest.raises(GuideNotCancellable):
        await bridge.cancel_guide(plan.task.id)


async def test_screen_only_request_routes_from_the_screen(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge()
    plan = await bridge.request_guide("sb-windows", "visitor-1", screen_id="screen-west")
    assert plan.robot_status == "not_requested" and plan.robot is None and plan.task is None
    assert plan.start == {"kind": "screen", "id": "screen-west", "x": 46.0, "y": 27.0}
    assert plan.route.direction == "前方"
    assert plan.message == "社保窗口在您的前方，步行约55米，16到19号窗口。路线已显示在西厅入口指路屏上。"
    assert all(a.task is None for a in bridge.agents.values())


async def test_bad_requests(make_bridge: BridgeFactory) -> None:
    bridge = await make_bridge()
    with pytest.raises(UnknownId, match="destination 'moon'"):
        await bridge.request_guide("moon", "s", robot_id="robot-north")
    with pytest.raises(UnknownId, match="robot 'robot-west'"):
        await bridge.request_guide("sb-windows", "s", robot_id="robot-west")
    with pytest.raises(UnknownId, match="screen 'screen-up'"):
        await bridge.request_guide("sb-windows", "s", screen_id="screen-up")
    with pytest.raises(ValueError, match="robot_id 或 screen_id"):
        await bridge.request_guide("sb-windows", "s")


async def test_cancelled_or_finished_routes_are_not_replayed_to_a_kiosk_that_loads_later(
    make_bridge: BridgeFactory,
) -> None:
    # Regression: a screen that opened after a cancelled guide showed the old route, "带路已取消".
    bridge = await make_bridge()
    agent, sim = bridge.agents["robot-north"], bridge.simulators.sims["robot-north"]
    plan = await bridge.request_guide("gjj-windows", "visitor-1", robot_id="robot-north", screen_id="screen-north")
    task = plan.task
    assert task is not None
    assert bridge.hub.current["screen-north"][0]["guide_id"] == task.id  # shown while it lasts
    assert await eventually(lambda: sim.moving)
    await bridge.cancel_guide(task.id)
    assert await eventually(lambda: agent.state is RobotState.idle, 3.0)
    assert "screen-north" not in bridge.hub.current
    # a guide that arrives is over too
    plan = await bridge.request_guide("consult-desk", "visitor-2", robot_id="robot-north", screen_id="screen-north")
    assert plan.task is not None and "screen-north" in bridge.hub.current
    assert await eventually(lambda: plan.task is not None and plan.task.outcome is GuideOutcome.arrived, 5.0)
    assert await eventually(lambda: "screen-north" not in bridge.hub.current, 1.0)
