"""Leading a visitor: on a robot or a guide screen, ask the robot bridge to lead or show the route.

Apart from `actions/guidance.py` so that every answer that names a place can lead, the matter
answers included, without an import cycle.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker

from actions import replies
from actions.clients.bridge import request_guide
from actions.clients.knowledge import ServiceUnavailable
from actions.resolve import channel_of

logger = logging.getLogger(__name__)
GUIDED_CHANNELS = {"robot", "screen"}


def holds(place: dict[str, Any], location: dict[str, Any]) -> bool:
    """Whether a place record holds a matter's windows: the same hall, every window among its own
    (出入境窗口 holds 1-4, so 护照签发 at 1-2 is there)."""
    return bool(place.get("hall") == location["hall"] and set(location["windows"]) <= set(place.get("windows") or ()))


async def guide_if_possible(
    dispatcher: CollectingDispatcher, tracker: Tracker, place: dict[str, Any], asked_to_lead: bool
) -> None:
    """On a robot or a screen, ask the bridge to lead the visitor or show the route."""
    metadata = tracker.latest_message.get("metadata") or {}
    channel = channel_of(tracker)
    if channel not in GUIDED_CHANNELS and not asked_to_lead:
        return
    robot_id = metadata.get("robot_id") if channel == "robot" else None
    screen_id = metadata.get("screen_id")
    if channel not in GUIDED_CHANNELS:
        # a phone, the app or a hall PC cannot walk: say who can
        dispatcher.utter_message(text=replies.WORDING["lead_not_here"])
        return
    try:
        result = await request_guide(place["id"], tracker.sender_id, robot_id, screen_id)
    except ServiceUnavailable as error:
        logger.warning("guide to %s failed: %s", place["id"], error)
        dispatcher.utter_message(text=replies.WORDING["lead_unavailable"])
        return
    robot = result.get("robot") or {}
    if robot.get("id"):
        dispatcher.utter_message(text=replies.WORDING["lead_follow_me"])
    elif result.get("message"):
        # no robot free (busy, offline): the bridge says why and where the route is shown instead
        dispatcher.utter_message(text=str(result["message"]))
    dispatcher.utter_message(json_message={"guide": {"destination": place["id"], "bridge": result}})
