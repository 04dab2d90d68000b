"""The bridge API over HTTP and WebSocket: auth, 4xx, guides, robots, events, screens."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from robot_bridge.bridge import Bridge, ConfigError
from robot_bridge.main import create_app
from robot_bridge.settings import Settings, parse_robot_urls
from tests.robot_bridge.conftest import fast_settings, wait_until

AUTH = {"Authorization": "Bearer test-token"}
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _client(**overrides: Any) -> TestClient:
    return TestClient(create_app(fast_settings(**overrides)))


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with _client() as test_client:
        assert wait_until(lambda: all(r["connected"] for r in test_client.get("/v1/robots").json()))
        yield test_client


def _bridge(client: TestClient) -> Bridge:
    bridge: Bridge = client.app.state.bridge  # type: ignore[attr-defined]
    return bridge


def _idle(client: TestClient, robot_id: str) -> bool:
    robot = client.get(f"/v1/robots/{robot_id}").json()
    return bool(robot["state"] == "idle" and robot["current_task"] is None)


# --- auth and bad requests --------------------------------------------------------------

COMMANDS = [
    ("post", "/v1/guide", {"destination": "sb-windows", "session_id": "s", "screen_id": "screen-west"}),
    ("post", "/v1/screens/screen-west/show", {"message": "您好"}),
    ("post", "/v1/guide/g-x/cancel", None),
    ("post", "/v1/robots/robot-north/home", None),
]


@pytest.mark.parametrize(("method", "path", "body"), COMMANDS)
def test_commands_need_the_token(client: TestClient, method: str, path: str, body: Any) -> None:
    missing = client.request(method, path, json=body)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["detail"] == "missing bearer token"
    wrong = client.request(method, path, json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == "wrong bearer token"
    basic = client.request(method, path, json=body, headers={"Authorization": "Basic dGVzdA=="})
    assert basic.status_code == 401


def test_reads_need_no_token(client: TestClient) -> None:
    for path in (
        "/healthz",
        "/v1/robots",
        "/v1/robots/robot-north/events",
        "/v1/screens",
        "/screens/screen-north",
    ):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"destination": "moon", "session_id": "s", "robot_id": "robot-north"}, "unknown destination 'moon'"),
        (
            {"destination": "sb-windows", "session_id": "s", "robot_id": "robot-west"},
            "unknown robot 'robot-west'",
        ),
        (
            {"destination": "sb-windows", "session_id": "s", "screen_id": "screen-up"},
            "unknown screen 'screen-up'",
        ),
        ({"destination": "sb-windows", "session_id": "s"}, "robot_id 或 screen_id"),
    ],
)
def test_unknown_references_are_422_with_a_clear_message(client: TestClient, body: Any, detail: str) -> None:
    response = client.post("/v1/guide", json=body, headers=AUTH)
    assert response.status_code == 422
    assert detail in response.json()["detail"]


def test_malformed_bodies_are_422(client: TestClient) -> None:
    assert client.post("/v1/guide", json={"destination": "sb-windows"}, headers=AUTH).status_code == 422
    assert (
        client.post("/v1/guide", json={"destination": "", "session_id": "s"}, headers=AUTH).status_code == 422
    )
    show = "/v1/screens/screen-west/show"
    assert client.post(show, json={}, headers=AUTH).status_code == 422
    both = {"message": "a", "notice": {"number": "A001"}}
    assert client.post(show, json=both, headers=AUTH).status_code == 422
    not_png = {"notice": {"number": "A001", "qr_png_base64": base64.b64encode(b"GIF89a....").decode()}}
    assert "PNG" in json.dumps(client.post(show, json=not_png, headers=AUTH).json())
    bad_url = {"notice": {"number": "A001", "url": "javascript:alert(1)"}}
    assert client.post(show, json=bad_url, headers=AUTH).status_code == 422


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/v1/robots/robot-west"),
        ("get", "/v1/robots/robot-west/events"),
        ("post", "/v1/robots/robot-west/home"),
        ("get", "/v1/guide/g-nope"),
        ("post", "/v1/guide/g-nope/cancel"),
        ("get", "/screens/screen-up"),
        ("get", "/screens/screen-west/route?destination=moon"),
    ],
)
def test_unknown_ids_in_paths_are_404(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, headers=AUTH)
    assert response.status_code == 404
    assert "'" in response.json()["detail"]  # names the id it did not find


def test_show_on_unknown_screen_is_404(client: TestClient) -> None:
    response = client.post("/v1/screens/screen-up/show", json={"message": "您好"}, headers=AUTH)
    assert response.status_code == 404 and "unknown screen 'screen-up'" in response.json()["detail"]


def test_websocket_of_unknown_screen_is_refused(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as closed:
        with client.websocket_connect("/ws/screens/screen-up") as ws:
            ws.receive_json()
    assert closed.value.code == 4404


# --- guides -----------------------------------------------------------------------------


def test_health_keeps_its_fields(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["robots"] == ["robot-north", "robot-south"]
    assert body["screens"] == ["screen-north", "screen-south", "screen-west", "screen-east"]
    assert body["robots_connected"] == {"robot-north": True, "robot-south": True}


def test_guide_with_a_robot_and_its_screen(client: TestClient) -> None:
    with client.websocket_connect("/ws/screens/screen-north") as ws:
        assert ws.receive_json()["type"] == "hello"
        response = client.post(
            "/v1/guide",
            json={"destination": "sb-windows", "robot_id": "robot-north", "session_id": "s1"},
            headers=AUTH,
        )
        assert response.status_code == 200
        body = response.json()
        shown = ws.receive_json()
    assert body["robot_status"] == "dispatched"
    assert body["robot"] == {"id": "robot-north", "name": "北门迎宾机器人"}
    assert body["guide_id"].startswith("g-")
    assert body["message"] == "请跟我来，我带您去社保窗口，在16到19号窗口办理。"
    assert body["destination"]["windows"] == [16, 17, 18, 19]
    route = body["route"]
    assert route["start"]["kind"] == "robot" and route["start"]["id"] == "robot-north"
    assert route["waypoints"][-1] == "wp-west-s"
    assert route["window_text"] == "16到19号窗口"
    assert route["distance_text"] == "约80米"
    assert route["steps"][-1] == "到达社保窗口，在16到19号窗口办理"
    assert [s["id"] for s in body["screens"]] == ["screen-north"]
    assert body["screens"][0]["delivered"] == 1
    # the screen got the route from where it stands, in its own words
    assert shown["type"] == "route" and shown["guide_id"] == body["guide_id"]
    assert (
        shown["route"]["summary"]
        == body["screens"][0]["summary"]
        == "社保窗口在您的右前方，步行约80米，16到19号窗口"
    )
    assert shown["robot"]["text"] == "北门迎宾机器人正在带您前往社保窗口"
    assert shown["route"]["points"][0] == [57.0, 43.0]
    # GET /v1/robots shows the task while it runs, then the robot idle at home
    robot = client.get("/v1/robots/robot-north").json()
    assert robot["state"] in ("leading", "waiting", "returning")
    assert robot["current_task"]["guide_id"] == body["guide_id"]
    assert "session" not in json.dumps(robot)
    assert client.get(f"/v1/guide/{body['guide_id']}").json()["destination"]["id"] == "sb-windows"
    assert wait_until(lambda: _idle(client, "robot-north"))
    robot = client.get("/v1/robots/robot-north").json()
    assert robot["last_task"]["outcome"] == "arrived"
    assert robot["pose"] == {"x": 60.0, "y": 45.0, "theta": -1.571}
    assert 0.8 < robot["battery"] < 0.9
    assert robot["available"] is True and robot["state_text"] == "空闲"


def test_busy_robot_via_api(client: TestClient) -> None:
    guide = {"destination": "gjj-windows", "robot_id": "robot-south", "session_id": "s1"}
    first = client.post("/v1/guide", json=guide, headers=AUTH).json()
    second = client.post("/v1/guide", json={**guide, "session_id": "s2"}, headers=AUTH).json()
    assert first["robot_status"] == "dispatched"
    assert second["robot_status"] == "busy" and second["robot"] is None and second["guide_id"] is None
    assert second["offer"] == {"id": "robot-north", "name": "北门迎宾机器人"}
    assert second["screens"][0]["id"] == "screen-south"
    assert client.get("/v1/robots/robot-south").json()["unavailable_reason"] == "busy"
    assert wait_until(lambda: _idle(client, "robot-south"))


def test_cancel_via_api(client: TestClient) -> None:
    body = client.post(
        "/v1/guide",
        json={"destination": "gjj-windows", "robot_id": "robot-north", "session_id": "s"},
        headers=AUTH,
    ).json()
    cancelled = client.post(f"/v1/guide/{body['guide_id']}/cancel", headers=AUTH)
    assert cancelled.status_code == 200
    assert wait_until(lambda: _idle(client, "robot-north"))
    assert client.get(f"/v1/guide/{body['guide_id']}").json()["outcome"] == "cancelled"
    again = client.post(f"/v1/guide/{body['guide_id']}/cancel", headers=AUTH)
    assert again.status_code == 404


def test_events_since(client: TestClient) -> None:
    events = client.get("/v1/robots/robot-north/events").json()
    assert events and all(e["robot_id"] == "robot-north" for e in events)
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    last = events[-1]["seq"]
    assert client.get(f"/v1/robots/robot-north/events?since={last}").json() == []
    assert len(client.get("/v1/robots/robot-north/events?limit=2").json()) == 2
    assert any(e["type"] == "said" and e["data"]["speech"].startswith("请跟我来") for e in events)


def test_home_command_when_idle(client: TestClient) -> None:
    response = client.post("/v1/robots/robot-south/home", headers=AUTH)
    assert response.status_code == 202
    assert wait_until(lambda: _idle(client, "robot-south"))


# --- screens ----------------------------------------------------------------------------


def test_notice_with_url_gets_a_qr_code(client: TestClient) -> None:
    with client.websocket_connect("/ws/screens/screen-east") as ws:
        ws.receive_json()
        # the assistant's notice payload: extra fields (id, pdf_url) are ignored
        notice = {
            "id": "n-1",
            "number": "GZ-20261126-0001",
            "title": "一次性告知单",
            "url": "http://127.0.0.1:8000/v1/notices/n-1",
            "pdf_url": "http://127.0.0.1:8000/v1/notices/n-1.pdf",
            "materials": [{"name": "居民身份证", "status": "必要", "condition": ""}],
        }
        response = client.post("/v1/screens/screen-east/show", json={"notice": notice}, headers=AUTH)
        assert response.json() == {"screen_id": "screen-east", "type": "notice", "delivered": 1}
        shown = ws.receive_json()
    assert shown["notice"]["number"] == "GZ-20261126-0001"
    assert shown["notice"]["materials"] == [{"name": "居民身份证", "status": "必要", "condition": ""}]
    assert "pdf_url" not in shown["notice"]
    src = shown["notice"]["qr_src"]
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG")
    assert client.get("/v1/screens").json()[3]["showing"] == "notice"


def test_notice_with_given_png_and_plain_message(client: TestClient) -> None:
    with client.websocket_connect("/ws/screens/screen-west") as ws:
        ws.receive_json()
        notice = {"number": "B7", "qr_png_base64": PNG_1PX}
        client.post("/v1/screens/screen-west/show", json={"notice": notice}, headers=AUTH)
        assert ws.receive_json()["notice"]["qr_src"] == f"data:image/png;base64,{PNG_1PX}"
        client.post("/v1/screens/screen-west/show", json={"message": "请到咨询导服台"}, headers=AUTH)
        message = ws.receive_json()
    assert message == {**message, "type": "message", "text": "请到咨询导服台"}


def test_a_reconnecting_kiosk_gets_the_current_route(client: TestClient) -> None:
    client.post(
        "/v1/guide",
        json={"destination": "restroom", "screen_id": "screen-west", "session_id": "s"},
        headers=AUTH,
    )
    with client.websocket_connect("/ws/screens/screen-west") as ws:
        assert ws.receive_json()["type"] == "hello"
        again = ws.receive_json()
    assert again["type"] == "route" and again["destination"]["id"] == "restroom"
    assert 0 < again["clear_after_s"] <= 30


def test_kiosk_page_and_quick_route(client: TestClient) -> None:
    page = client.get("/screens/screen-south")
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "<svg" in html and 'id="route-layer"' in html and "南门指路屏" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # no CDN, nothing external
    assert "https://" not in html
    route = client.get("/screens/screen-south/route?destination=nursing-room").json()
    assert route["type"] == "route" and route["route"]["direction"] == "右侧"


def test_ask_relays_to_the_assistants_screen_channel_with_the_token(client: TestClient) -> None:
    seen: list[dict[str, Any]] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("Authorization")
        seen.append({"url": str(request.url), "auth": auth, **json.loads(request.content)})
        return httpx.Response(200, json=[{"recipient_id": "x", "text": "社保窗口在西侧大厅16到19号窗口。"}])

    app_state = client.app.state  # type: ignore[attr-defined]
    original = app_state.http
    app_state.http = httpx.AsyncClient(transport=httpx.MockTransport(rasa))
    try:
        response = client.post(
            "/screens/screen-west/ask", json={"text": "社保在哪", "sender": "screen-west-abc"}
        )
    finally:
        app_state.http = original
    assert response.status_code == 200
    assert response.json()["replies"][0]["text"].startswith("社保窗口")
    assert seen == [
        {
            "url": "http://127.0.0.1:9/webhooks/screen/webhook",
            "auth": "Bearer test-token",
            "sender": "screen-west-abc",
            "message": "社保在哪",
            "screen_id": "screen-west",
        }
    ]


def test_ask_reports_an_unreachable_assistant(client: TestClient) -> None:
    response = client.post("/screens/screen-west/ask", json={"text": "社保在哪", "sender": "screen-west-abc"})
    assert response.status_code == 502 and response.json()["detail"] == "assistant unavailable"
    assert client.post("/screens/screen-west/ask", json={"text": "x", "sender": "bot"}).status_code == 422


# --- faults through the API, and configuration ------------------------------------------


def test_robot_offline_and_back_via_api() -> None:
    with _client() as client:
        bridge = _bridge(client)
        assert wait_until(lambda: _idle(client, "robot-north"))
        client.portal.call(bridge.simulators.sims["robot-north"].drop_link, 0.5)  # type: ignore[union-attr]
        assert wait_until(lambda: client.get("/v1/robots/robot-north").json()["state"] == "offline")
        robot = client.get("/v1/robots/robot-north").json()
        assert robot["connected"] is False and robot["available"] is False
        assert robot["pose"] is not None  # the last known pose stays
        body = client.post(
            "/v1/guide",
            json={"destination": "sb-windows", "robot_id": "robot-north", "session_id": "s"},
            headers=AUTH,
        ).json()
        assert (
            body["robot_status"] == "offline"
            and body["route"]["steps"]
            and body["screens"][0]["id"] == "screen-north"
        )
        assert client.get("/healthz").json()["robots_connected"]["robot-north"] is False
        assert wait_until(lambda: _idle(client, "robot-north"))
        assert [e["type"] for e in client.get("/v1/robots/robot-north/events").json()][-2:] == [
            "guide_declined",
            "reconnected",
        ]


def test_whole_guide_over_rosbridge() -> None:
    """The in-process simulator served over rosbridge: the real protocol end to end."""
    with _client(sim_transport="rosbridge") as client:
        assert wait_until(lambda: all(r["connected"] for r in client.get("/v1/robots").json()))
        body = client.post(
            "/v1/guide",
            json={"destination": "qy-windows", "robot_id": "robot-south", "session_id": "s"},
            headers=AUTH,
        ).json()
        assert body["robot_status"] == "dispatched"
        assert wait_until(lambda: _idle(client, "robot-south"))
        bridge = _bridge(client)
        assert [t for _, t in bridge.simulators.sims["robot-south"].said] == [
            "请跟我来，我带您去企业设立窗口。",
            "企业设立窗口到了，在43到46号窗口办理。",
        ]
        operations = {m["op"] for m in bridge.simulators.servers["robot-south"].received}
        assert {"advertise", "subscribe", "publish", "send_action_goal"} <= operations


def test_robot_urls_connect_to_an_external_rosbridge(hall: Any) -> None:
    import asyncio

    from robot_bridge.sim.rosbridge import make_simulator
    from tests.robot_bridge.conftest import free_port

    port = free_port()
    loop = asyncio.new_event_loop()
    server = make_simulator(hall, "robot-north", port=port, speed_factor=200, tick_s=0.01)
    loop.run_until_complete(server.start())
    import threading

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        with _client(robots_urls=f"robot-north=ws://127.0.0.1:{port}") as client:
            bridge = _bridge(client)
            assert "robot-north" not in bridge.simulators.sims  # the real (here: external) robot
            assert "robot-south" in bridge.simulators.sims  # still simulated in mode "sim"
            assert wait_until(lambda: client.get("/v1/robots/robot-north").json()["connected"])
            client.post(
                "/v1/guide",
                json={"destination": "restroom", "robot_id": "robot-north", "session_id": "s"},
                headers=AUTH,
            )
            assert wait_until(lambda: len(server.sim.said) == 2 and _idle(client, "robot-north"))
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def test_robot_url_settings_are_validated(hall: Any) -> None:
    assert parse_robot_urls("a=ws://h:1, b=wss://h:2") == {"a": "ws://h:1", "b": "wss://h:2"}
    for bad in ("robot-north", "robot-north=http://h:1", "a=ws://h:1,a=ws://h:2"):
        with pytest.raises(ValueError):
            parse_robot_urls(bad)
        with pytest.raises(ValueError):
            Settings(robots_urls=bad)
    with pytest.raises(ConfigError, match="unknown robots"):
        with _client(robots_urls="robot-west=ws://127.0.0.1:9"):
            pass
    with pytest.raises(ConfigError, match="no URL for robot-south"):
        with _client(mode="real", robots_urls="robot-north=ws://127.0.0.1:9"):
            pass
