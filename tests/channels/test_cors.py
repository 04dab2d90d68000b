"""Other origins (bot env): RASA_CORS_ORIGINS on socket.io and on REST, preflight included.

A real Sanic server mounts Rasa's REST channel and ours, as `rasa run` does, with Rasa's own CORS
layer configured the way `rasa run` configures it without `--cors`.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from rasa.core.channels.rest import RestInput
from rasa.server import configure_cors
from sanic import Sanic

from channels.cors import allowed_origins
from channels.webchat import WebChatInput
from tests.utils.sanic_server import serve_app

PORTAL = "http://127.0.0.1:18999"  # a city portal embedding the chat
STRANGER = "http://evil.example"
_apps = itertools.count()


async def _answer(message: Any) -> None:
    await message.output_channel.send_text_message(message.sender_id, "您好")


@pytest_asyncio.fixture
async def base(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    monkeypatch.setenv("RASA_CORS_ORIGINS", f"{PORTAL}, https://app.example.cn/")
    Sanic.test_mode = True
    app = Sanic(f"cors_test_{next(_apps)}")
    configure_cors(app, None)  # what `rasa run` does when --cors is not given
    for channel in (RestInput(), WebChatInput()):
        app.blueprint(channel.blueprint(_answer), url_prefix=f"/webhooks/{channel.name()}")
    async with serve_app(app, run_before_start=True) as url:
        yield url


def test_the_setting_is_a_list_of_origins() -> None:
    assert allowed_origins({}) == frozenset()
    assert allowed_origins({"RASA_CORS_ORIGINS": " https://a.cn/, https://b.cn https://c.cn"}) == {
        "https://a.cn",
        "https://b.cn",
        "https://c.cn",
    }


@pytest.mark.asyncio
async def test_rest_preflight_and_post_from_an_allowed_origin(base: str) -> None:
    preflight = {
        "Origin": PORTAL,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    async with aiohttp.ClientSession() as http:
        async with http.options(f"{base}/webhooks/rest/webhook", headers=preflight) as answer:
            assert answer.status == 204
            assert answer.headers["Access-Control-Allow-Origin"] == PORTAL
            assert "POST" in answer.headers["Access-Control-Allow-Methods"]
            assert answer.headers["Access-Control-Allow-Headers"] == "content-type"
        body = {"sender": "portal-1", "message": "你好"}
        async with http.post(f"{base}/webhooks/rest/webhook", json=body, headers={"Origin": PORTAL}) as answer:
            assert answer.status == 200
            assert answer.headers["Access-Control-Allow-Origin"] == PORTAL
            assert await answer.json() == [{"recipient_id": "portal-1", "text": "您好"}]


@pytest.mark.asyncio
async def test_other_origins_get_no_permission(base: str) -> None:
    preflight = {"Origin": STRANGER, "Access-Control-Request-Method": "POST"}
    async with aiohttp.ClientSession() as http:
        async with http.options(f"{base}/webhooks/rest/webhook", headers=preflight) as answer:
            assert "Access-Control-Allow-Origin" not in answer.headers
        async with http.post(
            f"{base}/webhooks/rest/webhook", json={"sender": "x", "message": "你好"}, headers={"Origin": STRANGER}
        ) as answer:
            assert "Access-Control-Allow-Origin" not in answer.headers


@pytest.mark.asyncio
async def test_socket_io_handshake_allows_our_page_and_listed_origins_only(base: str) -> None:
    handshake = f"{base}/socket.io/?EIO=4&transport=polling"
    async with aiohttp.ClientSession() as http:
        async with http.get(handshake, headers={"Origin": PORTAL}) as answer:
            assert answer.status == 200 and answer.headers["Access-Control-Allow-Origin"] == PORTAL
        async with http.get(handshake, headers={"Origin": base}) as answer:  # our own chat page
            assert answer.status == 200
        async with http.get(handshake, headers={"Origin": STRANGER}) as answer:
            assert answer.status == 400 and "Access-Control-Allow-Origin" not in answer.headers
