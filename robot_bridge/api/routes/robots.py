"""Robots: state, pose, battery, current task, and their event logs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from robot_bridge.api.deps import Authorized, BridgeDep
from robot_bridge.bridge import UnknownId
from robot_bridge.drivers import RobotOffline
from robot_bridge.guide import GuideNotCancellable, RobotAgent
from robot_bridge.schemas import RobotEventPublic, RobotPublic

router = APIRouter(prefix="/v1/robots", tags=["robots"])


def _agent(bridge: BridgeDep, robot_id: str) -> RobotAgent:
    try:
        return bridge.agents[bridge.robot(robot_id).id]
    except UnknownId as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from error


@router.get("")
def read_robots(bridge: BridgeDep) -> list[RobotPublic]:
    """Every robot of the hall map with its state, pose, battery and current task."""
    return [RobotPublic.of(agent) for agent in bridge.agents.values()]


@router.get("/{robot_id}")
def read_robot(robot_id: str, bridge: BridgeDep) -> RobotPublic:
    """One robot."""
    return RobotPublic.of(_agent(bridge, robot_id))


@router.get("/{robot_id}/events")
def read_robot_events(
    robot_id: str,
    bridge: BridgeDep,
    since: Annotated[int, Query(ge=0, description="only events after this seq")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[RobotEventPublic]:
    """The robot's latest events, oldest first."""
    events = [e for e in _agent(bridge, robot_id).events if e.seq > since]
    return [RobotEventPublic.of(e) for e in events[-limit:]]


@router.post("/{robot_id}/home", dependencies=[Authorized], status_code=status.HTTP_202_ACCEPTED)
async def send_robot_home(robot_id: str, bridge: BridgeDep) -> RobotPublic:
    """Staff command: drive the robot back to its home pose (clears an error state)."""
    agent = _agent(bridge, robot_id)
    try:
        await agent.send_home()
    except RobotOffline as error:
        raise HTTPException(status.HTTP_409_CONFLICT, f"{robot_id} is offline") from error
    except GuideNotCancellable as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
    return RobotPublic.of(agent)
