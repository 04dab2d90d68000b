"""The robot bridge answers its health check with the robots and screens of the hall map."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_healthz_lists_robots_and_screens(bridge_client: TestClient) -> None:
    response = bridge_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["robots"] == ["robot-north", "robot-south"]
    assert {"screen-north", "screen-south"} <= set(body["screens"])
