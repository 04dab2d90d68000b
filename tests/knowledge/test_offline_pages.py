"""Every page of the knowledge service works with no internet: nothing is fetched from another host.

Government intranets have no internet; /docs used to be blank there (Swagger UI from a CDN, ReDoc
with web fonts). A real headless Chromium loads each page; every request must go to 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.utils.browser import record_outside_requests, require_chromium
from tests.utils.servers import ServerThread

require_chromium("the offline pages test")


@pytest.fixture(scope="module")
def knowledge() -> Iterator[ServerThread]:
    from knowledge.main import app

    with ServerThread(app) as server:
        yield server


def test_swagger_ui_draws_every_operation_from_local_files(browser: Any, knowledge: ServerThread) -> None:
    context = browser.new_context()
    outside = record_outside_requests(context)
    page = context.new_page()
    page.goto(f"{knowledge.url}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/v1/search", "/v1/notices", "/healthz"} <= {p.strip() for p in paths}
    # the stylesheet applied: operation blocks are laid out, not bare text
    box = page.locator(".opblock").first.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 20
    assert outside == []
    context.close()


def test_redoc_draws_the_reference_without_web_fonts(browser: Any, knowledge: ServerThread) -> None:
    context = browser.new_context()
    outside = record_outside_requests(context)
    page = context.new_page()
    page.goto(f"{knowledge.url}/redoc")
    page.wait_for_selector("h1:has-text('knowledge service')", timeout=20000)
    assert page.locator("h2:has-text('healthz'), span:has-text('/v1/search')").count() >= 1
    assert outside == []
    context.close()


def test_notice_page_fetches_nothing_from_outside(browser: Any, knowledge: ServerThread) -> None:
    matter = httpx.get(f"{knowledge.url}/v1/matters/hz-id-card-renewal").json()
    answers = {s["key"]: s["options"][0] for s in matter["situations"]}
    created = httpx.post(f"{knowledge.url}/v1/notices", json={"matter_id": matter["id"], "answers": answers})
    assert created.status_code == 201, created.text
    context = browser.new_context()
    outside = record_outside_requests(context)
    page = context.new_page()
    page.goto(created.json()["url"].replace("http://127.0.0.1:8000", knowledge.url))
    assert page.locator("#notice-qr").evaluate("img => img.naturalWidth") > 50
    assert outside == []
    context.close()
