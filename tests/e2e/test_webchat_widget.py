"""The standard Rasa web widget (Botfront's rasa-webchat 1.0.1, the real npm bundle) on a city portal
of another origin, talking to the running Rasa: it connects (RASA_CORS_ORIGINS), a question is
answered, a button is clicked, and the notice comes as a link the widget draws. Also REST from that
origin, preflight included, in the same real browser."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse

from tests.e2e.services import PORTAL_ORIGIN, PORTAL_PORT, ROOT, Services, url
from tests.utils.browser import record_outside_requests, require_chromium
from tests.utils.servers import ServerThread

pytestmark = pytest.mark.e2e

require_chromium("the rasa-webchat widget test")
import playwright.sync_api as playwright_api  # noqa: E402

BUNDLE = ROOT / "tests" / "e2e" / "widget" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
TIMEOUT_MS = 45_000


def portal(rasa_url: str, bundle: Path) -> FastAPI:
    """The portal: one page that embeds the widget the way its README says, pointing at our Rasa."""
    app = FastAPI()
    options = {
        "selector": "#webchat",
        "socketUrl": rasa_url,
        "socketPath": "/socket.io/",
        "customData": {"language": "zh"},
        "title": "在线导办",
        "inputTextFieldHint": "请输入您的问题",
        "params": {"storage": "session"},
    }
    page = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>城市门户</title></head>
<body><h1>城市政务门户</h1><div id="webchat"></div>
<script src="/rasa-webchat.js"></script>
<script>WebChat.default({json.dumps(options, ensure_ascii=False)}, null);</script></body></html>"""

    @app.get("/")
    def read_page() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/rasa-webchat.js")
    def read_bundle() -> FileResponse:
        return FileResponse(bundle, media_type="application/javascript")

    return app


@pytest.fixture(scope="module")
def site(services: Services) -> Iterator[ServerThread]:
    if not BUNDLE.exists():
        pytest.fail("rasa-webchat is not installed: run `make widget` (npm ci in tests/e2e/widget)", pytrace=False)
    with ServerThread(portal(url("rasa"), BUNDLE), PORTAL_PORT) as running:
        assert running.url == PORTAL_ORIGIN
        yield running


def _bot_texts(page: Any) -> list[str]:
    texts: list[str] = page.locator(".rw-response").all_inner_texts()
    return texts


def _wait_bot(page: Any, needle: str) -> None:
    try:
        page.wait_for_function(
            "needle => [...document.querySelectorAll('.rw-response')].some(e => e.innerText.includes(needle))",
            arg=needle,
            timeout=TIMEOUT_MS,
        )
    except playwright_api.TimeoutError:
        pytest.fail(f"the widget shows no reply with {needle!r}; it shows: {_bot_texts(page)}")


def _say(page: Any, text: str) -> None:
    page.fill(".rw-new-message", text)
    page.press(".rw-new-message", "Enter")


def test_the_widget_on_another_origin_asks_chooses_and_gets_the_notice_link(browser: Any, site: ServerThread) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    record_outside_requests(context)  # the widget's stylesheet asks for a web font: no internet here
    page = context.new_page()
    page.goto(site.url)
    page.locator(".rw-launcher").click(timeout=TIMEOUT_MS)
    page.wait_for_selector(".rw-new-message", timeout=TIMEOUT_MS)
    _say(page, "我要开个体户要带什么")
    _wait_bot(page, "个体工商户设立登记")
    # a question with buttons; the widget draws them, and a click answers it
    page.locator(".rw-reply").first.wait_for(timeout=TIMEOUT_MS)
    before = len(_bot_texts(page))
    chosen = page.locator(".rw-reply").first.inner_text()
    page.locator(".rw-reply").first.click()
    page.wait_for_function("n => document.querySelectorAll('.rw-response').length > n", arg=before, timeout=TIMEOUT_MS)
    assert chosen
    _say(page, "其他都不清楚")
    link = page.locator(".rw-response a[href*='/notices/']").first
    link.wait_for(timeout=TIMEOUT_MS)
    href = link.get_attribute("href")
    assert href is not None and href.startswith(url("knowledge"))
    # the custom payload (it follows the text) came as text the widget shows: the print link and the PDF
    page.locator(".rw-response a", has_text="查看并打印告知单").first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator(".rw-response a[href$='.pdf']").count() >= 1
    # line breaks survive the widget's markdown: the notice summary spans several lines
    summary = page.locator(".rw-response", has_text="一次性告知单已生成").first.inner_text()
    assert "\n" in summary.strip(), summary
    shot = page.screenshot()
    assert len(shot) > 20_000
    context.close()


def test_rest_from_the_portal_passes_the_preflight(browser: Any, site: ServerThread) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.url)
    answer = page.evaluate(
        """async (rest) => {
             const body = JSON.stringify({sender: "portal-rest-1", message: "社保卡丢了怎么补"});
             const r = await fetch(rest, {method: "POST", headers: {"Content-Type": "application/json"}, body});
             return {status: r.status, body: await r.json()};
           }""",
        f"{url('rasa')}/webhooks/rest/webhook",
    )
    assert answer["status"] == 200
    assert any("社会保障卡" in (m.get("text") or "") for m in answer["body"]), answer
    context.close()
