"""The app / hall-PC chat channel (bot env): a real Sanic server with the channel's blueprint, a real
python-socketio client speaking Rasa's socket.io protocol, and a stand-in for Rasa's message handler."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import socketio
from rasa.core.channels.channel import UserMessage

from actions.replies import DESK, HOTLINE, too_long_text
from channels.webchat import MAX_TEXT, WebChatInput
from tests.utils.sanic_server import serve_blueprint
from tests.utils.waiting import wait_for

pytestmark = pytest.mark.asyncio
NOTICE = {
    "notice": {
        "id": "n1",
        "number": "CC-20261126-000001",
        "url": "http://k/notices/n1",
        "pdf_url": "http://k/notices/n1.pdf",
    }
}
BUTTONS = [{"title": "住房公积金购房提取", "payload": '/choose_option{"choice": "matter:gjj-purchase-withdrawal"}'}]


@dataclass
class FakeRasa:
    """Stands in for Rasa's on_new_message: records each message and answers through its output channel."""

    received: list[UserMessage] = field(default_factory=list)

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        out = message.output_channel
        await out.send_text_message(message.sender_id, f"【答复】{message.text}\n第二行")
        await out.send_text_with_buttons(message.sender_id, "您问的是哪一项？", BUTTONS)
        await out.send_custom_json(message.sender_id, dict(NOTICE))


@dataclass
class Client:
    """A socket.io client that collects what the server sends."""

    sio: socketio.AsyncClient
    confirmed: list[str] = field(default_factory=list)
    uttered: list[dict[str, Any]] = field(default_factory=list)

    async def session(self, session_id: Any = None) -> str:
        count = len(self.confirmed)
        await self.sio.emit("session_request", {"session_id": session_id})
        await wait_for(lambda: len(self.confirmed) > count)
        return self.confirmed[-1]


@dataclass
class Server:
    base: str
    rasa: FakeRasa
    http: aiohttp.ClientSession
    clients: list[Client] = field(default_factory=list)

    async def client(self) -> Client:
        # long-polling: the bot env's aiohttp is too old for python-socketio's WebSocket client
        client = Client(socketio.AsyncClient(reconnection=False))
        client.sio.on("session_confirm", client.confirmed.append)
        client.sio.on("bot_uttered", client.uttered.append)
        await client.sio.connect(self.base, transports=["polling"], socketio_path="/socket.io")
        self.clients.append(client)
        return client


@pytest_asyncio.fixture
async def server() -> AsyncIterator[Server]:
    channel = WebChatInput.from_credentials(
        {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True}
    )
    rasa = FakeRasa()
    async with serve_blueprint(channel.blueprint(rasa), "/webhooks/webchat") as base, aiohttp.ClientSession() as http:
        running = Server(base, rasa, http)
        yield running
        # abort: a graceful long-polling disconnect waits for the pending poll (up to the 25 s ping)
        for client in running.clients:
            await client.sio.eio.disconnect(abort=True)


async def test_a_session_is_issued_and_kept(server: Server) -> None:
    client = await server.client()
    issued = await client.session()
    assert re.fullmatch(r"[0-9a-f]{32}", issued)
    assert await client.session(issued) == issued
    # an id that could not have come from us is replaced, not trusted
    for bad in ("../../etc", "short", "x" * 65, 12345678901):
        fresh = await client.session(bad)
        assert fresh != bad and re.fullmatch(r"[0-9a-f]{32}", fresh)


async def test_a_turn_reaches_rasa_and_text_buttons_and_custom_payloads_come_back(server: Server) -> None:
    client = await server.client()
    session_id = await client.session()
    metadata = {"channel": "robot", "pc": "east-03"}
    turn = {"message": "  驾照快到期了怎么换 ", "session_id": session_id, "metadata": metadata, "rich_cards": True}
    await client.sio.emit("user_uttered", turn)
    await wait_for(lambda: len(client.uttered) == 3)
    message = server.rasa.received[0]
    assert (message.text, message.sender_id, message.input_channel) == ("驾照快到期了怎么换", session_id, "webchat")
    # the channel is ours to say, not the client's (a robot channel would ask the bridge to lead)
    assert message.metadata == {"channel": "webchat", "pc": "east-03"}
    text, choice, custom = client.uttered
    assert text == {"text": "【答复】驾照快到期了怎么换\n第二行"}
    assert choice == {
        "text": "您问的是哪一项？",
        "quick_replies": [{"content_type": "text", "title": BUTTONS[0]["title"], "payload": BUTTONS[0]["payload"]}],
    }
    # Rasa's own socketio channel raises TypeError here (emit(event, **json_message))
    assert custom == {"custom": NOTICE}


async def test_a_standard_widget_gets_every_reply_in_shapes_it_draws(server: Server) -> None:
    # rasa-webchat draws {"text"} and {"text", "quick_replies"} only (exactly those keys), and
    # renders markdown, where a single newline is no line break
    client = await server.client()
    session_id = await client.session()
    await client.sio.emit("user_uttered", {"message": "驾照快到期了怎么换", "session_id": session_id})
    await wait_for(lambda: len(client.uttered) == 3)
    text, choice, custom = client.uttered
    assert text == {"text": "【答复】驾照快到期了怎么换  \n第二行"}
    assert set(choice) == {"text", "quick_replies"} and choice["quick_replies"][0]["title"] == BUTTONS[0]["title"]
    notice = NOTICE["notice"]
    assert custom == {
        "text": f"一次性告知单（编号 {notice['number']}）："
        f"[查看并打印告知单]({notice['url']})　[下载PDF]({notice['pdf_url']})"
    }


async def test_metadata_comes_from_the_configured_key() -> None:
    # rasa-webchat sends its customData under "customData"; Rasa's socketio channel reads metadata_key
    channel = WebChatInput.from_credentials({"metadata_key": "customData"})
    rasa = FakeRasa()
    async with serve_blueprint(channel.blueprint(rasa), "/webhooks/webchat") as base:
        client = Client(socketio.AsyncClient(reconnection=False))
        client.sio.on("session_confirm", client.confirmed.append)
        client.sio.on("bot_uttered", client.uttered.append)
        await client.sio.connect(base, transports=["polling"], socketio_path="/socket.io")
        try:
            session_id = await client.session()
            turn = {"message": "你好", "session_id": session_id, "customData": {"language": "zh", "portal": "城市门户"}}
            await client.sio.emit("user_uttered", turn)
            await wait_for(lambda: len(rasa.received) == 1)
        finally:
            await client.sio.eio.disconnect(abort=True)
    assert rasa.received[0].metadata == {"language": "zh", "portal": "城市门户", "channel": "webchat"}


async def test_replies_go_to_every_socket_of_the_session(server: Server) -> None:
    first = await server.client()
    session_id = await first.session()
    again = await server.client()  # the page reloaded, or a second tab
    assert await again.session(session_id) == session_id
    await again.sio.emit("user_uttered", {"message": "在哪办", "session_id": session_id})
    await wait_for(lambda: len(first.uttered) == 3 and len(again.uttered) == 3)
    assert first.uttered == again.uttered


async def test_bad_turns_get_a_clear_answer_and_never_reach_rasa(server: Server) -> None:
    client = await server.client()
    session_id = await client.session()
    await client.sio.emit("user_uttered", {"message": "   ", "session_id": session_id})
    await client.sio.emit("user_uttered", {"message": "办" * (MAX_TEXT + 1), "session_id": session_id})
    await wait_for(lambda: len(client.uttered) == 1)
    assert client.uttered == [{"text": too_long_text(MAX_TEXT)}]
    assert DESK in too_long_text(MAX_TEXT) and HOTLINE in too_long_text(MAX_TEXT)
    await client.sio.emit("user_uttered", {"message": "你好"})  # no session id
    await client.sio.emit("user_uttered", "not an object")
    await wait_for(lambda: len(client.uttered) == 3)
    assert all("刷新页面" in m["text"] for m in client.uttered[1:])
    assert server.rasa.received == []


async def test_the_page_its_files_and_health(server: Server) -> None:
    async with server.http.get(f"{server.base}/webhooks/webchat/") as response:
        page = await response.text()
        assert response.status == 200 and response.content_type == "text/html"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert DESK in page and HOTLINE in page and "{{" not in page
    assert 'lang="zh-CN"' in page and 'aria-live="polite"' in page and '<label for="question"' in page
    for name in ("socket.io.min.js", "webchat.js", "webchat.css"):
        assert f"/webhooks/webchat/static/{name}" in page
        async with server.http.get(f"{server.base}/webhooks/webchat/static/{name}") as response:
            assert response.status == 200, name
            body = await response.text()
    async with server.http.get(f"{server.base}/webhooks/webchat/static/socket.io.min.js") as response:
        client = await response.text()
        assert response.content_type == "application/javascript"
    assert client.startswith("/*!\n * Socket.IO v4.") and "Released under the MIT License." in client[:200]
    assert body  # the last file (webchat.css) is not empty
    for name in ("webchat.html", "..%2Fwebchat.py", "README.md"):
        async with server.http.get(f"{server.base}/webhooks/webchat/static/{name}") as response:
            assert response.status == 404, name
    async with server.http.get(f"{server.base}/webhooks/webchat/health") as response:
        assert await response.json() == {"status": "ok"}


def test_a_chat_session_cannot_name_another_channels_conversation() -> None:
    # Other channels' conversation ids carry a "<channel>:" prefix; a chat session id never has a colon.
    from channels.webchat import _session_id

    for taken in ("wechat:oAbCdEfGh12345678", "rest:me-and-you", "hotline:call-12345678"):
        assert _session_id({"session_id": taken}) != taken
    assert _session_id({"session_id": "abcdef123456"}) == "abcdef123456"
