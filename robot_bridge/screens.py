"""Guide screens: the kiosks connected over WebSocket, and the messages they are shown.

Messages are JSON objects with a `type`: `route` (a route from this screen), `notice`
(a notice number with a QR code), `message` (a line of text), `guide_status` (what the
robot leading the visitor is doing) and `clear`. The last route, notice or message is
kept until it expires, so a kiosk that reconnects shows it again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import segno
from fastapi import WebSocket

from catalog.models import Screen
from robot_bridge.routing import Route, distance_text

logger = logging.getLogger(__name__)

SEND_TIMEOUT_S = 2.0


class ScreenHub:
    """Kiosk connections per screen id, with the message each screen currently shows."""

    def __init__(self, screen_ids: list[str]) -> None:
        self.connections: dict[str, set[WebSocket]] = {screen_id: set() for screen_id in screen_ids}
        self.current: dict[str, tuple[dict[str, Any], float]] = {}  # screen id -> (message, expires at)
        self.sent: dict[str, int] = dict.fromkeys(screen_ids, 0)

    def connected(self, screen_id: str) -> int:
        return len(self.connections.get(screen_id, ()))

    async def attach(self, screen_id: str, socket: WebSocket) -> None:
        """Register an accepted kiosk socket and bring it up to date."""
        self.connections[screen_id].add(socket)
        await _send(socket, {"type": "hello", "screen_id": screen_id, "server_time": time.time()})
        current = self.current.get(screen_id)
        if current is not None:
            message, expires = current
            left = expires - time.time()
            if left > 0:
                await _send(socket, {**message, "clear_after_s": round(left, 1)})

    def forget(self, screen_id: str, guide_id: str) -> None:
        """Stop replaying the route of guide `guide_id` to kiosks that connect later."""
        current = self.current.get(screen_id)
        if current is not None and current[0].get("guide_id") == guide_id:
            del self.current[screen_id]

    def detach(self, screen_id: str, socket: WebSocket) -> None:
        self.connections.get(screen_id, set()).discard(socket)

    async def show(self, screen_id: str, message: dict[str, Any], keep: bool = True) -> int:
        """Send `message` to every kiosk of `screen_id`; returns how many received it."""
        if keep:
            clear_after = float(message.get("clear_after_s") or 0)
            if clear_after > 0:
                self.current[screen_id] = (message, time.time() + clear_after)
            else:
                self.current.pop(screen_id, None)
        sockets = list(self.connections.get(screen_id, ()))
        results = await asyncio.gather(*(_send(s, message) for s in sockets))
        for socket, ok in zip(sockets, results, strict=True):
            if not ok:
                self.detach(screen_id, socket)
        delivered = sum(results)
        self.sent[screen_id] = self.sent.get(screen_id, 0) + delivered
        return delivered


async def _send(socket: WebSocket, message: dict[str, Any]) -> bool:
    try:
        await asyncio.wait_for(socket.send_text(json.dumps(message, ensure_ascii=False)), SEND_TIMEOUT_S)
        return True
    except Exception as error:  # a kiosk that went away or hangs is dropped, not waited for
        logger.info("screen socket dropped: %r", error)
        return False


def route_message(
    screen: Screen,
    route: Route,
    guide_id: str | None,
    robot: dict[str, Any] | None,
    clear_after_s: float,
) -> dict[str, Any]:
    """The `route` message for a kiosk: the route from this screen, in its own words."""
    place = route.place
    return {
        "type": "route",
        "screen_id": screen.id,
        "guide_id": guide_id,
        "destination": {
            "id": place.id,
            "name": place.name,
            "kind": place.kind,
            "windows": list(route.windows),
            "window_text": route.window_text,
            "x": place.pos.x,
            "y": place.pos.y,
        },
        "route": {
            "points": [[round(p.x, 2), round(p.y, 2)] for p in route.points],
            "waypoints": route.waypoints,
            "distance_m": route.distance_m,
            "distance_text": distance_text(route.distance_m),
            "direction": route.direction,
            "first_turn_deg": route.first_turn_deg,
            "summary": route.summary,
            "steps": list(route.steps),
        },
        "robot": robot,
        "clear_after_s": clear_after_s,
        "sent_at": time.time(),
    }


def notice_message(notice: dict[str, Any], clear_after_s: float) -> dict[str, Any]:
    """The `notice` message: the number, and a QR image as given, or drawn from the url."""
    qr_src = ""
    if notice.get("qr_png_base64"):
        qr_src = f"data:image/png;base64,{notice['qr_png_base64']}"
    elif notice.get("qr_image_url"):
        qr_src = str(notice["qr_image_url"])
    elif notice.get("url"):
        qr_src = segno.make(str(notice["url"]), error="m").png_data_uri(scale=8, border=2)
    shown = {k: notice.get(k) for k in ("number", "title", "text", "url", "materials")}
    return {
        "type": "notice",
        "notice": {**shown, "qr_src": qr_src},
        "clear_after_s": clear_after_s,
        "sent_at": time.time(),
    }


def text_message(text: str, clear_after_s: float) -> dict[str, Any]:
    return {"type": "message", "text": text, "clear_after_s": clear_after_s, "sent_at": time.time()}
