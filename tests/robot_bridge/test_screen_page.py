"""The kiosk page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Servers run on 127.0.0.1 in threads: the bridge, and a stand-in for Rasa that answers
the search box the way the assistant does (it asks the bridge to guide, then replies).
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from robot_bridge.main import create_app
from tests.robot_bridge.conftest import fast_settings, free_port
from tests.utils.browser import require_chromium
from tests.utils.servers import ServerThread

require_chromium("the guide-screen page test")

TOKEN = "test-token"
ROUTE_RED = (216, 56, 47)


def fake_rasa(bridge_url: str, seen: list[dict[str, Any]]) -> FastAPI:
    """Answers like the assistant: on a place question it asks the bridge to show the route."""
    app = FastAPI()

    @app.post("/webhooks/screen/webhook")
    async def webhook(request: Request) -> list[dict[str, Any]]:
        body = await request.json()
        seen.append({**body, "auth": request.headers.get("Authorization")})
        if "社保" not in body["message"]:
            return [{"recipient_id": body["sender"], "text": "抱歉，我没听懂。"}]
        async with httpx.AsyncClient() as client:
            await client.post(
                f"{bridge_url}/v1/guide",
                json={
                    "destination": "sb-windows",
                    "session_id": body["sender"],
                    "screen_id": body["screen_id"],
                },
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
        return [
            {"recipient_id": body["sender"], "text": "社保窗口在西侧大厅，16到19号窗口。路线已显示在屏幕上。"}
        ]

    return app


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[ServerThread, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []
    rasa_port = free_port()
    settings = fast_settings(
        rasa_url=f"http://127.0.0.1:{rasa_port}/webhooks/screen/webhook",
        sim_speed_factor=40.0,
        arrival_wait_s=0.2,
    )
    with ServerThread(create_app(settings)) as bridge:
        with ServerThread(fake_rasa(bridge.url, seen), rasa_port):
            yield bridge, seen


@pytest.fixture
def page(browser: Any, servers: tuple[ServerThread, list[dict[str, Any]]], tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    kiosk = context.new_page()
    errors: list[str] = []
    kiosk.on("pageerror", lambda error: errors.append(str(error)))
    kiosk.goto(f"{servers[0].url}/screens/screen-north")
    kiosk.wait_for_selector("#link.up", timeout=5000)
    yield kiosk
    context.close()
    assert errors == [], f"JavaScript errors on the kiosk page: {errors}"


def png_pixels(data: bytes) -> tuple[int, int, list[bytes], int]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG: width, height, rows, bytes per pixel."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, chunk = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6) and header[12] == 0
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, up_left = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows, bpp


def count_color(png: bytes, rgb: tuple[int, int, int], tolerance: int = 30) -> int:
    width, _height, rows, bpp = png_pixels(png)
    count = 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            if all(abs(row[x + c] - rgb[c]) <= tolerance for c in range(3)):
                count += 1
    return count


def test_guide_command_shows_the_route_on_the_kiosk(
    page: Any, servers: tuple[ServerThread, list[dict[str, Any]]], tmp_path: Path
) -> None:
    bridge, _ = servers
    before = page.locator("#map-panel").screenshot()
    assert page.locator("#idle").is_visible()
    response = httpx.post(
        f"{bridge.url}/v1/guide",
        json={
            "destination": "sb-windows",
            "robot_id": "robot-north",
            "screen_id": "screen-north",
            "session_id": "v1",
        },
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200
    steps = response.json()["screens"][0]["steps"]
    page.wait_for_selector("#route-card:not([hidden])", timeout=5000)
    assert page.inner_text("#dest-name") == "社保窗口"
    assert page.inner_text("#dest-windows") == "16到19号窗口"
    assert page.inner_text("#route-summary") == "社保窗口在您的右前方，步行约80米，16到19号窗口"
    assert page.locator("#route-steps li").all_inner_texts() == steps
    assert page.inner_text("#robot-line") == "北门迎宾机器人正在带您前往社保窗口"
    assert page.locator("#idle").is_hidden()
    # the route is drawn on the map, the windows are marked, the destination is labelled
    points = page.get_attribute("#route-layer polyline.path", "points")
    assert points is not None and len(points.split()) >= 5
    assert page.locator(".windows rect.hl").count() == 4
    assert page.text_content("#route-labels") == "社保窗口"
    # the robot's progress reaches the screen
    page.wait_for_function(
        "document.getElementById('robot-line').textContent === '已到达社保窗口。'", timeout=8000
    )
    shot = tmp_path / "screen-north-route.png"
    page.screenshot(path=str(shot))
    png = shot.read_bytes()
    width, height, _, _ = png_pixels(png)
    assert (width, height) == (1600, 900)
    assert len(png) > 40_000
    # the red route (and marked windows) are really painted on the map, and were not before
    after = page.locator("#map-panel").screenshot()
    assert count_color(before, ROUTE_RED) < 50
    assert count_color(after, ROUTE_RED) > 1500


def test_search_box_asks_the_assistant_and_the_route_follows(
    page: Any, servers: tuple[ServerThread, list[dict[str, Any]]]
) -> None:
    _, seen = servers
    page.fill("#ask-text", "社保在哪里办")
    page.click("#ask button")
    page.wait_for_selector("#answers .reply:has-text('16到19号窗口')", timeout=5000)
    page.wait_for_selector("#route-card:not([hidden])", timeout=5000)
    assert page.inner_text("#dest-name") == "社保窗口"
    assert page.locator("#robot-line").is_hidden()  # a screen-only guide: no robot
    asked = seen[-1]
    assert asked["message"] == "社保在哪里办"
    assert asked["screen_id"] == "screen-north" and asked["auth"] == f"Bearer {TOKEN}"
    assert asked["sender"].startswith("screen-screen-north-")


def test_quick_buttons_notice_clear_and_reconnect(
    page: Any, servers: tuple[ServerThread, list[dict[str, Any]]]
) -> None:
    bridge, _ = servers
    show = f"{bridge.url}/v1/screens/screen-north/show"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    # the kiosk may have come up showing an earlier route; staff can clear it
    assert httpx.post(show, json={"clear": True}, headers=auth).json()["type"] == "clear"
    page.wait_for_selector("#idle:not([hidden])", timeout=5000)
    page.click("#quick button:has-text('卫生间')", timeout=5000)
    page.wait_for_selector("#route-card:not([hidden])", timeout=5000)
    assert page.inner_text("#dest-name") == "卫生间"
    notice = {"number": "A023", "title": "取号成功", "url": "https://example.gov.cn/notice/A023"}
    assert (
        httpx.post(show, json={"notice": notice, "clear_after_s": 1.0}, headers=auth).json()["delivered"] == 1
    )
    page.wait_for_selector("#notice-card:not([hidden])", timeout=5000)
    assert page.inner_text("#notice-number") == "A023"
    qr = page.locator("#notice-qr")
    assert qr.is_visible()
    assert page.evaluate("document.getElementById('notice-qr').naturalWidth") > 50
    # it clears itself
    page.wait_for_selector("#idle:not([hidden])", timeout=5000)
    assert page.locator("#notice-card").is_hidden() and page.locator("#route-card").is_hidden()
    # a dropped socket comes back by itself and works
    page.evaluate("socket.close()")
    page.wait_for_selector("#link.down", timeout=3000)
    page.wait_for_selector("#link.up", timeout=5000)
    message = {"message": "请带好身份证原件", "clear_after_s": 5}
    assert httpx.post(show, json=message, headers=auth).json()["delivered"] == 1
    page.wait_for_selector("#message-card:has-text('请带好身份证原件')", timeout=5000)
    assert json.loads(httpx.get(f"{bridge.url}/healthz").text)["screens_connected"]["screen-north"] == 1
