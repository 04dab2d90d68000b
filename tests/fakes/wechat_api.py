"""A fake WeChat official-account API (standard library only), recording what it received.

Follows the documented contract of the two endpoints the WeChat channel uses:

GET  /cgi-bin/token?grant_type=client_credential&appid=APPID&secret=SECRET
  -> {"access_token": "...", "expires_in": 7200} | {"errcode": 40013, "errmsg": "invalid appid"} ...
POST /cgi-bin/message/custom/send?access_token=TOKEN
     {"touser": "OPENID", "msgtype": "text", "text": {"content": "..."}}
  -> {"errcode": 0, "errmsg": "ok"} | 40001 invalid credential | 42001 access_token expired
     | 45015 response out of time limit | 45002 content size out of limit | 47001 data format error ...

Run on its own: `python -m tests.fakes.wechat_api --port 18200` (GET /_fake/received lists the records).
"""

from __future__ import annotations

import argparse
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

APP_ID = "wx0123456789abcdef"
APP_SECRET = "fake-app-secret-0123456789abcdef"
# customer-service text messages are limited to 2048 bytes of UTF-8
MAX_TEXT_BYTES = 2048


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    body: Any = None
    reply: dict[str, Any] = field(default_factory=dict)


class FakeWeChatAPI:
    """The fake's state: issued tokens, users out of the 48-hour window, and every request received."""

    def __init__(self, app_id: str = APP_ID, secret: str = APP_SECRET, expires_in: int = 7200) -> None:
        self.app_id = app_id
        self.secret = secret
        self.expires_in = expires_in
        self.tokens: dict[str, float] = {}  # token -> expiry (monotonic)
        self.silent_users: set[str] = set()  # openids that get 45015
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    # -- test controls -------------------------------------------------------------------------
    def expire_tokens(self) -> None:
        """Every token issued so far now answers 42001 (access_token expired)."""
        with self.lock:
            self.tokens = {token: 0.0 for token in self.tokens}

    def revoke_tokens(self) -> None:
        """Forget every token issued so far: they now answer 40001 (invalid credential)."""
        with self.lock:
            self.tokens.clear()

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.silent_users.clear()

    def token_requests(self) -> list[Received]:
        return [r for r in self.received if r.path == "/cgi-bin/token"]

    def sent(self) -> list[Received]:
        """Custom-service messages the fake accepted (errcode 0)."""
        return [r for r in self.received if r.path == "/cgi-bin/message/custom/send" and r.reply.get("errcode") == 0]

    def send_attempts(self) -> list[Received]:
        return [r for r in self.received if r.path == "/cgi-bin/message/custom/send"]

    # -- the API -------------------------------------------------------------------------------
    def issue_token(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        if query.get("appid") != self.app_id:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if query.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        token = secrets.token_urlsafe(48)
        self.tokens[token] = time.monotonic() + self.expires_in
        return {"access_token": token, "expires_in": self.expires_in}

    def custom_send(self, query: dict[str, str], raw: bytes) -> tuple[Any, dict[str, Any]]:
        token = query.get("access_token")
        if not token:
            return None, {"errcode": 41001, "errmsg": "access_token missing"}
        if token not in self.tokens:
            return None, {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        if self.tokens[token] <= time.monotonic():
            return None, {"errcode": 42001, "errmsg": "access_token expired"}
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return raw.decode("utf-8", "replace"), {"errcode": 47001, "errmsg": "data format error"}
        if not isinstance(body, dict) or not isinstance(body.get("touser"), str) or not body["touser"]:
            return body, {"errcode": 40003, "errmsg": "invalid openid"}
        if body.get("msgtype") != "text":
            return body, {"errcode": 40008, "errmsg": "invalid message type"}
        text = body.get("text")
        content = text.get("content") if isinstance(text, dict) else None
        if not isinstance(content, str) or not content:
            return body, {"errcode": 44004, "errmsg": "empty content"}
        if len(content.encode("utf-8")) > MAX_TEXT_BYTES:
            return body, {"errcode": 45002, "errmsg": "content size out of limit"}
        if body["touser"] in self.silent_users:
            return body, {"errcode": 45015, "errmsg": "response out of time limit or subscription is canceled"}
        return body, {"errcode": 0, "errmsg": "ok"}

    def handle(self, method: str, target: str, raw: bytes) -> tuple[int, dict[str, Any] | list[Any]]:
        parts = urlsplit(target)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        if method == "GET" and parts.path == "/_fake/received":
            with self.lock:
                return 200, [vars(r) for r in self.received]
        with self.lock:
            record = Received(method, parts.path, query)
            if method == "GET" and parts.path == "/cgi-bin/token":
                record.reply = self.issue_token(query)
            elif method == "POST" and parts.path == "/cgi-bin/message/custom/send":
                record.body, record.reply = self.custom_send(query, raw)
            else:
                return 404, {"errcode": 404, "errmsg": f"no such API {method} {parts.path}"}
            self.received.append(record)
            return 200, record.reply

    # -- serving -------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve in a daemon thread; returns the base URL."""
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://{host}:{self.server.server_address[1]}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def _handler(api: FakeWeChatAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            status, payload = api.handle(method, self.path, raw)
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            return

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18200)
    parser.add_argument("--appid", default=APP_ID)
    parser.add_argument("--secret", default=APP_SECRET)
    parser.add_argument("--expires-in", type=int, default=7200)
    args = parser.parse_args()
    api = FakeWeChatAPI(args.appid, args.secret, args.expires_in)
    api.server = ThreadingHTTPServer((args.host, args.port), _handler(api))
    print(f"fake WeChat API on http://{args.host}:{args.port}", flush=True)
    try:
        api.server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
