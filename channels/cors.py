"""Other origins: a city portal that embeds the chat (e.g. the rasa-webchat widget) from its own site.

RASA_CORS_ORIGINS lists the allowed origins, comma-separated (`https://zwfw.example.gov.cn,https://app.example.cn`);
unset or empty allows none beyond our own pages. It applies to socket.io (the handshake's polling
requests and the WebSocket's Origin check, both done by python-engineio) and to the channels' HTTP
routes under /webhooks/ (REST included), preflight requests too. Rasa's HTTP API is never opened
to other origins here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

ENV = "RASA_CORS_ORIGINS"
WEBHOOKS = "/webhooks/"
MAX_AGE_S = "600"


def allowed_origins(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The configured origins, without trailing slashes; empty when unset."""
    raw = (os.environ if environ is None else environ).get(ENV, "")
    return frozenset(o.strip().rstrip("/") for o in raw.replace(" ", ",").split(",") if o.strip())


def socketio_origin_check(origins: frozenset[str]) -> Callable[[str, dict[str, Any]], bool]:
    """For python-engineio's cors_allowed_origins: our own origin, and the configured ones."""

    def allowed(origin: str, environ: dict[str, Any]) -> bool:
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin == own or origin in origins

    return allowed


def install_http_cors(app: Sanic, origins: frozenset[str]) -> None:
    """Answer preflights and add Access-Control-Allow-Origin on /webhooks/ for the allowed origins."""
    if not origins or getattr(app.ctx, "zwdb_cors", False):
        return
    app.ctx.zwdb_cors = True

    def applies(request: Request) -> str | None:
        origin = request.headers.get("origin")
        return origin if origin in origins and request.path.startswith(WEBHOOKS) else None

    async def preflight(request: Request) -> HTTPResponse | None:
        origin = applies(request)
        if request.method != "OPTIONS" or origin is None:
            return None
        return response.empty(
            status=204,
            headers={
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": request.headers.get(
                    "access-control-request-headers", "Content-Type, Authorization"
                ),
                "Access-Control-Max-Age": MAX_AGE_S,
                "Vary": "Origin",
            },
        )

    async def allow(request: Request, resp: HTTPResponse) -> None:
        origin = applies(request)
        if origin is not None and "access-control-allow-origin" not in resp.headers:
            resp.headers["Access-Control-Allow-Origin"] = origin
            resp.headers["Vary"] = "Origin"

    # first in line: Rasa's own CORS layer (sanic-cors, no origins unless `--cors`) would answer
    # the preflight before us, without the header
    app.register_middleware(preflight, "request")
    app.request_middleware.rotate(1)
    app.register_middleware(allow, "response")
