"""The app / hall-PC chat page served by the running Rasa, in a real headless Chromium: socket.io
turns, buttons, custom payloads, session persistence and the disconnect banner."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.services import RASA_API, Services, url
from tests.utils.browser import record_outside_requests, require_chromium

# every page here talks to the running services
pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("services")]

require_chromium("the app chat page test")
import playwright.sync_api as playwright_api  # noqa: E402

SESSION_KEY = "zwdb.webchat.session"
SOCKET_IO = re.compile(r".*/socket\.io/.*")
# generous: on a loaded 2-core machine one turn (NLU, action server, knowledge service) can take a while
TIMEOUT_MS = 45_000


def _page_url() -> str:
    return f"{url('rasa')}/webhooks/webchat/"


@pytest.fixture
def chat(browser: Any) -> Iterator[Any]:
    """A fresh phone-sized browser (empty localStorage: a new session) on the chat page, connected."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(_page_url())
    _wait_connected(page)
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the chat page: {errors}"


def _wait_connected(page: Any) -> None:
    # predicates are functions, not expressions: the page's CSP forbids eval, which expressions need
    page.wait_for_function(
        f"() => localStorage.getItem('{SESSION_KEY}') !== null && document.getElementById('offline').hidden",
        timeout=TIMEOUT_MS,
    )


def _ask(page: Any, text: str) -> int:
    """Types a question and sends it with Enter; returns how many bot messages came before it."""
    before: int = page.locator(".msg.bot .bubble").count()
    page.fill("#question", text)
    page.press("#question", "Enter")
    return before


def _reply(page: Any, before: int, needle: str) -> Any:
    """The bot message containing `needle` among those that arrived after the first `before`."""
    try:
        page.wait_for_function(
            """([before, needle]) => [...document.querySelectorAll('.msg.bot .bubble')]
                .slice(before).some(e => e.textContent.includes(needle))""",
            arg=[before, needle],
            timeout=TIMEOUT_MS,
        )
    except playwright_api.TimeoutError:
        pytest.fail(f"no reply containing {needle!r}; the page shows:\n{page.inner_text('body')}")
    return page.locator(".msg.bot .bubble", has_text=needle).last


def test_the_page_and_its_socket_io_client_are_served(services: Services) -> None:
    page = httpx.get(_page_url(), timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # the disconnect banner and the hint name the desk and the hotline
    assert "中庭咨询导服台" in page.text and "12345" in page.text and "{{" not in page.text
    client = httpx.get(f"{url('rasa')}/webhooks/webchat/static/socket.io.min.js", timeout=10)
    assert client.status_code == 200 and client.headers["content-type"].startswith("application/javascript")
    assert client.text.startswith("/*!\n * Socket.IO v4.") and "MIT License" in client.text[:200]
    assert httpx.get(f"{url('rasa')}/webhooks/webchat/static/webchat.html", timeout=10).status_code == 404
    assert httpx.get(f"{url('rasa')}/webhooks/webchat/health", timeout=10).json() == {"status": "ok"}


def test_a_question_is_answered_on_the_page(chat: Any) -> None:
    # typing alone does nothing; the send button is enabled by text
    assert chat.is_disabled("#send")
    before = _ask(chat, "驾照快到期了怎么换")
    chat.locator(".msg.user .bubble", has_text="驾照快到期了怎么换").wait_for(timeout=TIMEOUT_MS)
    answer = _reply(chat, before, "【机动车驾驶证期满换证】")
    assert chat.input_value("#question") == ""
    # the reply keeps its line breaks and is plain text (no markup injected)
    assert answer.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    assert answer.locator("script, img").count() == 0
    assert chat.get_attribute("#log", "aria-live") == "polite"
    chat.wait_for_selector("#typing", state="hidden", timeout=TIMEOUT_MS)


def test_buttons_offer_a_choice_and_the_choice_is_answered(chat: Any, services: Services) -> None:
    _reply(chat, _ask(chat, "公积金"), "请选择")
    buttons = chat.locator(".msg.bot .choices button")
    buttons.first.wait_for(timeout=TIMEOUT_MS)
    titles = buttons.all_inner_texts()
    assert 2 <= len(titles) <= 3, titles
    # large tap targets on a phone
    box = buttons.first.bounding_box()
    assert box is not None and box["height"] >= 44
    chosen = titles[1]
    before = chat.locator(".msg.bot .bubble").count()
    buttons.nth(1).click()
    # the title is shown as the user's message, not the /choose_option payload
    chat.locator(".msg.user .bubble", has_text=chosen).wait_for(timeout=TIMEOUT_MS)
    assert chat.locator(".msg.user .bubble", has_text="/choose_option").count() == 0
    _reply(chat, before, f"【{chosen}】")
    assert buttons.nth(1).get_attribute("aria-pressed") == "true"
    assert all(buttons.nth(i).is_disabled() for i in range(len(titles)))

    # the session lives in localStorage: after a reload the conversation goes on
    session_id = chat.evaluate(f"localStorage.getItem('{SESSION_KEY}')")
    assert re.fullmatch(r"[0-9a-f]{32}", session_id)
    chat.reload()
    _wait_connected(chat)
    assert chat.evaluate(f"localStorage.getItem('{SESSION_KEY}')") == session_id
    _reply(chat, _ask(chat, "在哪办"), f"【{chosen}】")
    tracker = httpx.get(f"{url('rasa')}/conversations/{session_id}/tracker", params=RASA_API, timeout=10).json()
    assert tracker["latest_input_channel"] == "webchat"
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"][-1] == "在哪办"


def test_a_notice_comes_as_a_printable_link_and_a_handoff_as_a_note(chat: Any) -> None:
    _reply(chat, _ask(chat, "我要开个体户要带什么"), "【个体工商户设立登记】")
    _reply(chat, _ask(chat, "我自己去"), "2/")
    before = _ask(chat, "其他都不清楚")
    card = chat.locator(".card", has_text="一次性告知单")
    card.wait_for(timeout=TIMEOUT_MS)
    printable = card.locator("a", has_text="打印")
    # regression: the page scrolled before the card's links were added, leaving them under the input box
    chat.wait_for_function(
        """() => { const links = [...document.querySelectorAll('.card .links a')];
                   const form = document.getElementById('ask').getBoundingClientRect();
                   return links.length >= 2 && links.every(a => a.getBoundingClientRect().bottom <= form.top); }""",
        timeout=5000,
    )
    href = printable.get_attribute("href")
    assert href is not None and "/notices/" in href
    assert printable.get_attribute("target") == "_blank"
    assert "CC-" in card.inner_text()
    # the URL in the bot's text is a link too
    summary = _reply(chat, before, "完整告知单")
    assert summary.locator("a").first.get_attribute("href") == href
    notice = httpx.get(href, timeout=10)
    assert notice.status_code == 200 and "个体工商户设立登记" in notice.text

    before = _ask(chat, "转人工服务")
    chat.locator(".msg.note", has_text="工作人员会跟进").wait_for(timeout=TIMEOUT_MS)
    _reply(chat, before, "12345")


def test_a_dropped_connection_shows_the_desk_and_hotline_then_reconnects(browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    state: dict[str, Any] = {"down": False, "sockets": []}

    def on_http(route: Any) -> None:
        if state["down"]:
            route.abort()
        else:
            route.continue_()

    def on_websocket(ws: Any) -> None:
        if state["down"]:
            ws.close()
            return
        state["sockets"].append((ws, ws.connect_to_server()))

    page.route(SOCKET_IO, on_http)
    page.route_web_socket(SOCKET_IO, on_websocket)
    try:
        page.goto(_page_url())
        _wait_connected(page)
        _reply(page, _ask(page, "驾照快到期了怎么换"), "【机动车驾驶证期满换证】")
        assert state["sockets"], "the client never upgraded to a WebSocket"

        state["down"] = True
        for ws, server in state["sockets"]:
            server.close()
            ws.close()
        banner = page.locator("#offline")
        banner.wait_for(state="visible", timeout=TIMEOUT_MS)
        text = banner.inner_text()
        assert "重新连接" in text and "中庭咨询导服台" in text and "12345" in text
        assert page.get_attribute("#offline", "role") == "alert"
        page.fill("#question", "那要多少钱")
        assert page.is_disabled("#send")

        state["down"] = False
        banner.wait_for(state="hidden", timeout=TIMEOUT_MS)
        page.wait_for_function("() => !document.getElementById('send').disabled", timeout=TIMEOUT_MS)
        before = page.locator(".msg.bot .bubble").count()
        page.press("#question", "Enter")
        # the same session: the follow-up is about the matter asked before the drop
        fee = _reply(page, before, "收费")
        assert fee.inner_text().startswith("【机动车驾驶证期满换证】")
    finally:
        context.close()


def test_the_chat_page_fetches_nothing_from_outside(browser: Any) -> None:
    # hall PCs and intranet apps have no internet: every request of the page stays on our host
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    outside = record_outside_requests(context)
    page = context.new_page()
    page.goto(_page_url())
    _wait_connected(page)
    _reply(page, _ask(page, "驾照快到期了怎么换"), "驾驶证")
    assert outside == []
    context.close()
