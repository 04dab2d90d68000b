"""Liveness, with the robots and screens of the hall map."""

from __future__ import annotations

from fastapi import APIRouter

from robot_bridge.api.deps import BridgeDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def read_health(bridge: BridgeDep) -> dict[str, object]:
    """Report that the bridge is up, with the robots and screens it knows from the hall map."""
    return {
        "status": "ok",
        "robots": [r.id for r in bridge.hall.robots],
        "screens": [s.id for s in bridge.hall.screens],
        "robots_connected": {rid: agent.driver.connected for rid, agent in bridge.agents.items()},
        "screens_connected": {sid: bridge.hub.connected(sid) for sid in bridge.screens},
    }
