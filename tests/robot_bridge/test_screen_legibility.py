"""Guide screens read from 3 m, at 1920x1080 and 1080x1920, measured in a real headless Chromium.

Sizes and positions come from the rendered page (bounding boxes, computed styles); screenshots
are taken of each and checked for the route actually painted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from robot_bridge.main import create_app
from tests.robot_bridge.conftest import fast_settings
from tests.robot_bridge.test_screen_page import ROUTE_RED, count_color
from tests.utils.browser import require_chromium
from tests.utils.servers import ServerThread

require_chromium("the guide-screen legibility test")

TOKEN = "test-token"
SCREENS = [(1920, 1080), (1080, 1920)]
# Before: steps 19 px, destination 35 px, window numbers on the map about 9 px.
OLD_STEP_PX = 19.0

# Every visible label of the map, with its box on screen.
LABEL_BOXES = """() => [...document.querySelectorAll('#hall-map text')]
  .filter((t) => getComputedStyle(t).display !== 'none' && t.textContent.trim())
  .map((t) => { const r = t.getBoundingClientRect();
    return {text: t.textContent, cls: t.getAttribute('class'),
            left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"""


@pytest.fixture(scope="module")
def bridge() -> Iterator[ServerThread]:
    with ServerThread(create_app(fast_settings(screen_clear_s=300.0))) as server:
        yield server


def _overlaps(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            # a pixel of anti-aliasing is not an overlap
            if (
                a["left"] < b["right"] - 1
                and b["left"] < a["right"] - 1
                and a["top"] < b["bottom"] - 1
                and b["top"] < a["bottom"] - 1
            ):
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize("screen_id", ["screen-north", "screen-west"])
@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_route_reads_from_three_metres(
    browser: Any, bridge: ServerThread, tmp_path: Path, size: tuple[int, int], screen_id: str
) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{bridge.url}/screens/{screen_id}")
    page.wait_for_selector("#link.up", timeout=5000)
    # idle: labels of the plain map never overlap, and the map fills its panel
    assert _overlaps(page.evaluate(LABEL_BOXES)) == []
    panel = page.locator("#map-panel").bounding_box()
    floor = page.locator("#hall-map .floor").bounding_box()
    assert panel is not None and floor is not None
    # the hall itself (without the margin of the drawing) covers most of the panel
    assert floor["width"] * floor["height"] >= 0.7 * panel["width"] * panel["height"]
    # as large as its shape allows: it spans the cards' area in one direction
    main = page.locator("main").bounding_box()
    assert main is not None
    assert max(panel["width"] / main["width"], panel["height"] / main["height"]) >= 0.44
    shown = httpx.post(
        f"{bridge.url}/v1/guide",
        json={"destination": "bdc-windows", "session_id": "v-legible", "screen_id": screen_id},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert shown.status_code == 200, shown.text
    page.wait_for_selector("#route-card:not([hidden])", timeout=5000)
    shot = page.screenshot(path=str(tmp_path / f"{screen_id}-{width}x{height}.png"))
    px = lambda selector: page.evaluate(  # noqa: E731
        f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)"
    )
    assert px("#dest-name") >= 80 and px("#dest-windows") >= 70
    assert px("#route-steps li") >= 2 * OLD_STEP_PX
    arrow = page.locator("#turn-arrow").bounding_box()
    assert arrow is not None and arrow["width"] >= 150 and arrow["height"] >= 150
    # everything that matters is on screen, not scrolled away
    for selector in ("#dest-name", "#dest-windows", "#turn-arrow", "#route-steps li:last-child", "#ask-text"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width + 1, selector
        assert box["y"] + box["height"] <= height + 1, selector
    # with the destination labelled, still no two labels overlap, and all stay on the map
    boxes = page.evaluate(LABEL_BOXES)
    assert _overlaps(boxes) == []
    assert any(b["cls"] == "pin-label" and b["text"] == "不动产登记窗口" for b in boxes)
    for box in boxes:
        assert panel["x"] - 1 <= box["left"] and box["right"] <= panel["x"] + panel["width"] + 1, box
    assert count_color(page.locator("#map-panel").screenshot(), ROUTE_RED) > 2000
    assert len(shot) > 50_000
    context.close()


def test_the_arrow_points_the_way_of_the_first_leg(browser: Any, bridge: ServerThread) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{bridge.url}/screens/screen-west")
    page.wait_for_selector("#link.up", timeout=5000)
    seen: set[str] = set()
    # from the west hall entrance: the restroom to the right, the south door to the left, 社保 ahead
    for destination in ("restroom", "south-door", "sb-windows"):
        route = httpx.get(f"{bridge.url}/screens/screen-west/route", params={"destination": destination}).json()
        httpx.post(
            f"{bridge.url}/v1/guide",
            json={"destination": destination, "session_id": "v-arrow", "screen_id": "screen-west"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        page.wait_for_function(
            f"document.getElementById('dest-name').textContent === {route['destination']['name']!r}", timeout=5000
        )
        turn = route["route"]["first_turn_deg"]
        assert page.inner_text("#turn-text") == route["route"]["steps"][0]
        # where the arrow's tip (0, -46 in its own frame) lands, from the transform the browser applied
        tip_x, tip_y = page.evaluate(
            """() => { const m = new DOMMatrix(getComputedStyle(document.getElementById('turn-arrow')).transform);
                       const p = m.transformPoint(new DOMPoint(0, -46)); return [p.x, p.y]; }"""
        )
        if turn > 30:
            assert tip_x < -20, (destination, turn, tip_x)  # to the left
        elif turn < -30:
            assert tip_x > 20, (destination, turn, tip_x)  # to the right
        else:
            assert tip_y < -20  # ahead: up
        seen.add("left" if turn > 30 else "right" if turn < -30 else "ahead")
    assert seen == {"left", "right", "ahead"}
    context.close()
