"""The app and hall-PC chat: Rasa's socket.io protocol, plus the chat page served from the Rasa server.

socket.io at /socket.io (same events as Rasa's `socketio` channel):
    client → session_request {"session_id"?}      server → session_confirm "<session id>"
    client → user_uttered {"message", "session_id", <metadata_key>?, "rich_cards"?}
    server → bot_uttered {"text"} | {"text", "quick_replies": [{"title", "payload"}]} | {"custom": {...}}

Our chat page asks for `rich_cards` and draws {"custom": ...} as cards. Any other client (the standard
rasa-webchat widget, which shows only {"text"} and {"text", "quick_replies"}) gets each custom payload
as text with markdown links instead, and line breaks as markdown hard breaks, so every reply shows.
Other origins: RASA_CORS_ORIGINS (channels/cors.py).
GET /webhooks/webchat/            the chat page
GET /webhooks/webchat/static/F    its script, style and the vendored socket.io client
GET /webhooks/webchat/health      {"status": "ok"}

Rasa 3.6's own `socketio` channel is not used because, with python-socketio 5.18, it never delivers
a reply when session_persistence is on (`enter_room` is a coroutine it does not await) and it raises
TypeError on every custom payload (`emit(event, **json_message)`); see docs/channels/app.md.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from actions import replies
from channels.cors import allowed_origins, install_http_cors, socketio_origin_check

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
# the only files the page needs; nothing else under static/ is served
STATIC_TYPES = {
    "webchat.js": "application/javascript; charset=utf-8",
    "webchat.css": "text/css; charset=utf-8",
    "socket.io.min.js": "application/javascript; charset=utf-8",
}
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
        "style-src 'self'; script-src 'self'; frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}
MAX_TEXT = 500
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _session_id(data: Any) -> str:
    """The client's session id if it is well formed, else a fresh one."""
    requested = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(requested, str) and SESSION_ID.match(requested):
        return requested
    return uuid.uuid4().hex


def _extract_message(data: Any, metadata_key: str = "metadata") -> tuple[str, dict[str, Any]]:
    """The user's text (stripped) and the metadata of a user_uttered event (under `metadata_key`)."""
    if not isinstance(data, dict):
        return "", {}
    metadata = data.get(metadata_key)
    return str(data.get("message") or "").strip(), metadata if isinstance(metadata, dict) else {}


def _hard_breaks(text: str) -> str:
    """Markdown widgets join single newlines into one line; two trailing spaces keep the break."""
    return text.replace("\r\n", "\n").replace("\n", "  \n")


def plain_fallback(custom: dict[str, Any]) -> str:
    """A custom payload as markdown text for widgets that draw no custom components; "" if nothing to show."""
    lines: list[str] = []
    notice = custom.get("notice")
    if isinstance(notice, dict) and notice.get("url"):
        links = [f"[{replies.NOTICE_VIEW}]({notice['url']})"]
        if notice.get("pdf_url"):
            links.append(f"[{replies.NOTICE_PDF}]({notice['pdf_url']})")
        lines.append(replies.notice_links_text(notice.get("number"), links))
    guide = custom.get("guide")
    if isinstance(guide, dict) and isinstance(guide.get("bridge"), dict):
        route = guide["bridge"].get("route") or {}
        place = guide["bridge"].get("destination") or {}
        if route.get("summary") or place.get("name"):
            lines.append(replies.route_text(str(route.get("summary") or place.get("name"))))
        lines += [f"{i}. {step}" for i, step in enumerate(route.get("steps") or [], start=1)]
    handoff = custom.get("handoff")
    if isinstance(handoff, dict):
        lines.append(replies.handed_off_text(handoff.get("to")))
    order = custom.get("work_order")
    if isinstance(order, dict) and order.get("number"):
        lines.append(replies.work_order_text(order.get("type"), order["number"]))
    return "  \n".join(lines)


class WebChatOutput(SocketIOOutput):
    """Rasa's socket.io output. A custom payload travels as {"custom": {...}} to our page (as on the
    REST channel); to any other client it travels as text, and line breaks survive markdown."""

    def __init__(self, sio: Any, bot_message_evt: str, rich_cards: bool = False) -> None:
        super().__init__(sio, bot_message_evt)
        self.rich_cards = rich_cards

    @classmethod
    def name(cls) -> str:
        return "webchat"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await super().send_text_message(recipient_id, text if self.rich_cards else _hard_breaks(text), **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        text = text if self.rich_cards else _hard_breaks(text)
        await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        if self.rich_cards:
            await self._send_message(recipient_id, {"custom": json_message})
            return
        text = plain_fallback(json_message)
        if text:
            await self._send_message(recipient_id, {"text": text})


class WebChatInput(InputChannel):
    """socket.io chat with session persistence, and the page that uses it."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            session_persistence=bool(credentials.get("session_persistence", True)),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            jwt_key=credentials.get("jwt_key"),
            jwt_method=credentials.get("jwt_method", "HS256"),
            # rasa-webchat sends its customData under "customData": set `metadata_key: customData`
            metadata_key=credentials.get("metadata_key", "metadata"),
        )

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        session_persistence: bool = True,
        socketio_path: str = "/socket.io",
        jwt_key: str | None = None,
        jwt_method: str = "HS256",
        metadata_key: str = "metadata",
    ) -> None:
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.session_persistence = session_persistence
        self.socketio_path = socketio_path
        self.jwt_key = jwt_key
        self.jwt_method = jwt_method
        self.metadata_key = metadata_key
        self.sio: AsyncServer | None = None
        page = (STATIC / "webchat.html").read_text(encoding="utf-8")
        self.page = page.replace("{{DESK}}", replies.DESK).replace("{{HOTLINE}}", replies.HOTLINE)

    def get_output_channel(self) -> OutputChannel | None:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # our own page's origin, and RASA_CORS_ORIGINS; engineio checks the WebSocket's Origin too
        origins = allowed_origins()
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=socketio_origin_check(origins))
        self.sio = sio
        webchat = SocketBlueprint(sio, self.socketio_path, "webchat", __name__)

        @webchat.listener("before_server_start")
        async def cors(app: Any, loop: Any) -> None:
            install_http_cors(app, origins)

        @webchat.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return response.html(self.page, headers=PAGE_HEADERS)

        @webchat.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webchat.route("/static/<filename>", methods=["GET"])
        async def static(request: Request, filename: str) -> HTTPResponse:
            if filename not in STATIC_TYPES:
                return response.json({"error": f"no static file '{filename}'"}, status=404)
            body = (STATIC / filename).read_bytes()
            return response.raw(body, content_type=STATIC_TYPES[filename], headers={"Cache-Control": "no-cache"})

        @sio.on("connect")
        async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any] | None = None) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_method))

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None) -> None:
            session_id = _session_id(data)
            if self.session_persistence:
                # replies go to the room named after the session, so every tab of the session gets them
                await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt)
        async def receive(sid: str, data: Any = None) -> None:
            rich = isinstance(data, dict) and data.get("rich_cards") is True
            output = WebChatOutput(sio, self.bot_message_evt, rich_cards=rich)
            text, metadata = _extract_message(data, self.metadata_key)
            sender_id = sid
            if self.session_persistence:
                session_id = data.get("session_id") if isinstance(data, dict) else None
                if not (isinstance(session_id, str) and SESSION_ID.match(session_id)):
                    await output.send_text_message(sid, replies.WEBCHAT_SESSION_EXPIRED)
                    return
                sender_id = session_id
            if not text:
                return
            if len(text) > MAX_TEXT:
                await output.send_text_message(sender_id, replies.too_long_text(MAX_TEXT))
                return
            metadata = {**metadata, "channel": self.name()}
            await on_new_message(
                UserMessage(text, output, sender_id=sender_id, input_channel=self.name(), metadata=metadata)
            )

        return webchat
