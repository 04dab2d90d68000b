"""The kiosk side of a guide screen: its page, its WebSocket, its search box, quick routes."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, HTTPException, Query, Request, WebSocket, WebSocketDisconnect, status
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from catalog.models import Place, Screen
from robot_bridge.api.deps import BridgeDep
from robot_bridge.bridge import Bridge, UnknownId
from robot_bridge.kiosk import render_page
from robot_bridge.screens import route_message

logger = logging.getLogger(__name__)
router = APIRouter(tags=["kiosk"])


class AskCreate(BaseModel):
    text: str = Field(min_length=1, max_length=200)
    sender: str = Field(pattern=r"^screen-[A-Za-z0-9_.-]{1,100}$")


class AskPublic(BaseModel):
    replies: list[dict[str, Any]]


def _not_found(error: UnknownId) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, str(error))


@router.get("/screens/{screen_id}", response_class=HTMLResponse)
def read_screen_page(screen_id: str, bridge: BridgeDep) -> HTMLResponse:
    """The kiosk page: map, route, search box, notice; self-contained."""
    try:
        screen = bridge.screen(screen_id)
    except UnknownId as error:
        raise _not_found(error) from error
    page = render_page(bridge.hall, screen, bridge.settings.screen_clear_s)
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


@router.get("/screens/{screen_id}/route")
def read_screen_route(
    screen_id: str, destination: Annotated[str, Query(min_length=1, max_length=64)], bridge: BridgeDep
) -> dict[str, Any]:
    """The route from this screen to a place, as a `route` message (read-only, shown nowhere else)."""
    try:
        screen, place = bridge.screen(screen_id), bridge.place(destination)
    except UnknownId as error:
        raise _not_found(error) from error
    route = bridge.graph.route(screen.pos.x, screen.pos.y, screen.waypoint, screen.facing, place)
    return route_message(screen, route, None, None, bridge.settings.screen_clear_s)


@router.post("/screens/{screen_id}/ask")
async def ask_assistant(screen_id: str, body: AskCreate, bridge: BridgeDep, request: Request) -> AskPublic:
    """Relay the search box to the assistant's screen channel, with this screen's id.

    The bridge relays so the kiosk stays same-origin: Rasa needs no CORS and the kiosk
    learns no other address.
    """
    try:
        screen = bridge.screen(screen_id)
    except UnknownId as error:
        raise _not_found(error) from error
    client: httpx.AsyncClient = request.app.state.http
    payload = {"sender": body.sender, "message": body.text, "screen_id": screen.id}
    # the token is what lets the assistant draw routes on a screen (channels/rest.py, ScreenInput)
    headers = {"Authorization": f"Bearer {bridge.settings.token}"}
    try:
        response = await client.post(bridge.settings.rasa_url, json=payload, headers=headers)
        response.raise_for_status()
        replies = response.json()
    except (httpx.HTTPError, ValueError) as error:
        logger.warning("assistant unreachable from %s: %r", screen.id, error)
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, "assistant unavailable") from error
    if not isinstance(replies, list):
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, "assistant answered in an unknown format")
    replies = [r for r in replies if isinstance(r, dict)]
    # A place question already drew its route (the assistant asked us to guide). A matter question
    # ("社保卡丢了怎么补") is answered in words only: draw the way to that matter's windows too.
    if not any(isinstance(r.get("custom"), dict) and "guide" in r["custom"] for r in replies):
        await _show_route_for_question(client, bridge, screen, body.text)
    return AskPublic(replies=replies)


async def _show_route_for_question(client: httpx.AsyncClient, bridge: Bridge, screen: Screen, text: str) -> None:
    """Draw the route to the place, or the matter's windows, that the knowledge service is sure of."""
    base = bridge.settings.knowledge_url.rstrip("/")
    try:
        response = await client.get(f"{base}/v1/search", params={"q": text, "k": 1})
        response.raise_for_status()
        found = response.json()
        # the knowledge service decides when it is sure; a close call draws nothing
        if found.get("decision") != "answer" or not found.get("results"):
            return
        top = found["results"][0]
        place: Place | None = None
        if top["kind"] == "place" and top["id"] in {p.id for p in bridge.hall.places}:
            place = bridge.place(top["id"])
        elif top["kind"] == "matter":
            record = await client.get(f"{base}/v1/matters/{top['id']}")
            record.raise_for_status()
            location = record.json()["location"]
            place = bridge.place_for_windows(location["hall"], location["windows"])
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        logger.warning("no route for the search box of %s: %r", screen.id, error)
        return
    if place is None:
        return
    route = bridge.graph.route(screen.pos.x, screen.pos.y, screen.waypoint, screen.facing, place)
    await bridge.hub.show(screen.id, route_message(screen, route, None, None, bridge.settings.screen_clear_s))


@router.websocket("/ws/screens/{screen_id}")
async def screen_socket(socket: WebSocket, screen_id: str) -> None:
    """A kiosk's live channel: routes, notices and messages are pushed here."""
    bridge = socket.app.state.bridge
    if screen_id not in bridge.screens:
        await socket.close(code=4404, reason="unknown screen")
        return
    await socket.accept()
    await bridge.hub.attach(screen_id, socket)
    try:
        while True:
            await socket.receive_text()  # pings from the kiosk; nothing to answer
    except WebSocketDisconnect:
        pass
    finally:
        bridge.hub.detach(screen_id, socket)
