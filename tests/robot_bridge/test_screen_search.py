"""The guide screen's search box draws a route for a matter as well as for a place.

Real parts: the bridge and the knowledge service (sample catalog, real search) on 127.0.0.1,
headless Chromium for the kiosk. Rasa stands in as a server that answers in words only, as the
assistant does for a matter question (it asks the bridge to guide only for place questions).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from robot_bridge.main import create_app
from tests.robot_bridge.conftest import fast_settings, free_port
from tests.utils.browser import require_chromium
from tests.utils.servers import ServerThread

require_chromium("the guide-screen search test")


def words_only_rasa() -> FastAPI:
    app = FastAPI()

    @app.post("/webhooks/rest/webhook")
    async def webhook(request: Request) -> list[dict[str, Any]]:
        body = await request.json()
        return [{"recipient_id": body["sender"], "text": f"关于“{body['message']}”，请看屏幕上的路线。"}]

    return app


@pytest.fixture(scope="module")
def bridge() -> Iterator[ServerThread]:
    from knowledge.main import app as knowledge_app

    rasa_port = free_port()
    with ServerThread(knowledge_app) as knowledge, ServerThread(words_only_rasa(), rasa_port):
        settings = fast_settings(
            rasa_url=f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", knowledge_url=knowledge.url
        )
        with ServerThread(create_app(settings)) as server:
            yield server


def _idle_kiosk(browser: Any, bridge: ServerThread) -> Any:
    """A kiosk page of screen-north, with whatever an earlier test showed cleared away."""
    cleared = httpx.post(
        f"{bridge.url}/v1/screens/screen-north/show",
        json={"clear": True},
        headers={"Authorization": "Bearer test-token"},
    )
    assert cleared.status_code == 200
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{bridge.url}/screens/screen-north")
    page.wait_for_selector("#link.up", timeout=5000)
    assert page.locator("#idle").is_visible()
    return page


@pytest.mark.parametrize(
    ("question", "destination", "windows"),
    [
        ("社保卡丢了怎么补", "社保窗口", "16到19号窗口"),  # a matter: the route to its windows
        ("驾照快到期了怎么换", "车管窗口", "5到9号窗口"),
        ("母婴室在哪", "母婴休息室", ""),  # a place
    ],
)
def test_search_box_draws_the_route(
    browser: Any, bridge: ServerThread, question: str, destination: str, windows: str
) -> None:
    page = _idle_kiosk(browser, bridge)
    page.wait_for_selector("#link.up", timeout=5000)
    page.fill("#ask-text", question)
    page.click("#ask button")
    page.wait_for_selector("#answers .reply:has-text('请看屏幕上的路线')", timeout=10000)
    page.wait_for_selector("#route-card:not([hidden])", timeout=5000)
    assert page.inner_text("#dest-name") == destination
    assert page.inner_text("#dest-windows") == windows
    assert page.text_content("#route-labels") == destination
    points = page.get_attribute("#route-layer polyline.path", "points")
    assert points is not None and len(points.split()) >= 3
    page.close()


def test_a_question_the_catalog_cannot_place_draws_nothing(browser: Any, bridge: ServerThread) -> None:
    page = _idle_kiosk(browser, bridge)
    page.fill("#ask-text", "今天天气怎么样")
    page.click("#ask button")
    page.wait_for_selector("#answers .reply:has-text('请看屏幕上的路线')", timeout=10000)
    page.wait_for_timeout(500)  # a route, if any, arrives over the socket right after the reply
    assert page.locator("#route-card").is_hidden() and page.locator("#idle").is_visible()
    page.close()
