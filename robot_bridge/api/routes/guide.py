"""Guide requests: lead a visitor with a robot and show the route on screens."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from robot_bridge.api.deps import Authorized, BridgeDep
from robot_bridge.bridge import UnknownId
from robot_bridge.guide import GuideNotCancellable, GuideNotFound
from robot_bridge.schemas import GuideCreate, GuidePublic, TaskPublic

router = APIRouter(prefix="/v1/guide", tags=["guide"])


@router.post("", dependencies=[Authorized])
async def create_guide(body: GuideCreate, bridge: BridgeDep) -> GuidePublic:
    """Start a guide to a place; answers with the route, the robot (or why none) and the screens."""
    try:
        plan = await bridge.request_guide(body.destination, body.session_id, body.robot_id, body.screen_id)
    except UnknownId as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
    except ValueError as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from error
    return GuidePublic.of(plan)


@router.get("/{guide_id}")
def read_guide(guide_id: str, bridge: BridgeDep) -> TaskPublic:
    """One recent guide with its phase and outcome."""
    try:
        return TaskPublic.of(bridge.guide(guide_id))
    except UnknownId as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from error


@router.post("/{guide_id}/cancel", dependencies=[Authorized])
async def cancel_guide(guide_id: str, bridge: BridgeDep) -> TaskPublic:
    """Cancel a running guide: the robot stops and goes home."""
    try:
        return TaskPublic.of(await bridge.cancel_guide(guide_id))
    except (UnknownId, GuideNotFound) as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no running guide '{guide_id}'") from error
    except GuideNotCancellable as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
