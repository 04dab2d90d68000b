"""The robot bridge's pages work with no internet: /docs, /redoc and the guide screens fetch
nothing from another host (real headless Chromium; every request must go to 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from robot_bridge.main import create_app
from tests.robot_bridge.conftest import fast_settings
from tests.utils.browser import record_outside_requests, require_chromium
from tests.utils.servers import ServerThread

require_chromium("the offline pages test")


@pytest.fixture(scope="module")
def bridge() -> Iterator[ServerThread]:
    with ServerThread(create_app(fast_settings())) as server:
        yield server


@pytest.mark.parametrize(
    ("path", "drawn"),
    [
        ("/docs", ".opblock-summary-path"),
        ("/redoc", "h1:has-text('robot bridge')"),
        ("/screens/screen-north", "#link.up"),
        ("/screens/screen-south", "#map svg, #map-panel svg"),
    ],
)
def test_page_draws_from_local_files_only(browser: Any, bridge: ServerThread, path: str, drawn: str) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    outside = record_outside_requests(context)
    page = context.new_page()
    page.goto(f"{bridge.url}{path}")
    page.wait_for_selector(drawn, timeout=20000)
    box = page.locator(drawn).first.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 10
    assert outside == []
    context.close()
