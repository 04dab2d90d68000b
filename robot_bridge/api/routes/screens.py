"""Screen commands: show a notice or a message on a guide screen."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from robot_bridge.api.deps import Authorized, BridgeDep
from robot_bridge.bridge import UnknownId
from robot_bridge.schemas import ScreenPublic, ScreenShow, ScreenShown
from robot_bridge.screens import notice_message, text_message

router = APIRouter(prefix="/v1/screens", tags=["screens"])


@router.get("")
def read_screens(bridge: BridgeDep) -> list[ScreenPublic]:
    """Every screen of the hall map, with how many kiosks are connected and what they show."""
    return [
        ScreenPublic(
            id=s.id,
            name=s.name,
            x=s.pos.x,
            y=s.pos.y,
            facing=s.facing,
            connected=bridge.hub.connected(s.id),
            showing=bridge.hub.current[s.id][0]["type"] if s.id in bridge.hub.current else None,
        )
        for s in bridge.screens.values()
    ]


@router.post("/{screen_id}/show", dependencies=[Authorized])
async def show_on_screen(screen_id: str, body: ScreenShow, bridge: BridgeDep) -> ScreenShown:
    """Show a notice (number and QR code) or a message on a screen, or clear it."""
    try:
        screen = bridge.screen(screen_id)
    except UnknownId as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from error
    clear = body.clear_after_s or bridge.settings.screen_clear_s
    if body.notice is not None:
        message = notice_message(body.notice.model_dump(), clear)
    elif body.message is not None:
        message = text_message(body.message, clear)
    else:
        message = {"type": "clear"}  # no clear_after_s: the hub forgets what the screen showed
    delivered = await bridge.hub.show(screen.id, message)
    return ScreenShown(screen_id=screen.id, type=message["type"], delivered=delivered)
