"""The action server as the Procfile runs it: rasa_sdk's app, with only Rasa let in.

Every request but GET /health must carry `Authorization: Bearer $ACTIONS_SECRET` (endpoints.yml
sends it); without it anyone reaching the port could run actions under any sender, file
complaint tickets or send robots. Errors never echo the request body (it holds the tracker).

Usage: python -m actions.server [--port 5055] (rasa_sdk's options: --actions, --cors, …)
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from common.pii import install_log_masking
from common.security import bearer_matches, refuse_default_secrets, secret

logger = logging.getLogger(__name__)
OPEN_PATHS = {"/health"}


def create_secured_app(actions_package: str = "actions", actions_secret: str | None = None) -> Sanic:
    """rasa_sdk's app for `actions_package`, refusing requests without the shared secret."""
    expected = actions_secret or secret("ACTIONS_SECRET")
    # no CORS: browsers have no business here, only the Rasa server does
    app = create_app(actions_package, cors_origins=[])

    @app.middleware("request")
    async def require_secret(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or bearer_matches(request.headers.get("Authorization"), expected):
            return None
        return response.json({"error": "a valid Authorization: Bearer token is required"}, status=401)

    # replaces rasa_sdk's handler, which returns the request body (a whole tracker) with the error
    async def on_error(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("action request failed: %s", type(exception).__name__, exc_info=exception)
        return response.json({"error": "the action failed"}, status=500)

    app.error_handler.add(Exception, on_error)
    return app


def main(argv: list[str] | None = None) -> None:
    # the action server binds SANIC_HOST (the Procfile sets it to HOST)
    refuse_default_secrets("action server", host=os.environ.get("SANIC_HOST") or os.environ.get("HOST", "127.0.0.1"))
    args = create_argument_parser().parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel, args.logging_config_file
    )
    utils.update_sanic_log_level()
    install_log_masking("rasa_sdk", "sanic.root", "sanic.error", "sanic.access", "actions")
    app = create_secured_app(args.actions or "actions")

    @app.listener("before_server_start")
    async def mask_logs(*_: Any) -> None:
        install_log_masking("rasa_sdk", "sanic.root", "sanic.error", "sanic.access", "actions")

    host = os.environ.get("SANIC_HOST") or "127.0.0.1"
    logger.info("Action server is up on http://%s:%s", host, args.port)
    app.run(host, args.port, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main(sys.argv[1:])
