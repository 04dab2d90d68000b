"""The REST channel (the app, hall PCs, tests), strict about its input, and the guide screens'
authenticated relay. Both replace Rasa's own `rest` channel at the same path.

POST /webhooks/rest/webhook    {"sender": "…", "message": "…"}  -> [{"recipient_id", "text"…}, …]
POST /webhooks/screen/webhook  the same plus "screen_id", with `Authorization: Bearer $ROBOT_BRIDGE_TOKEN`

Rasa's REST channel trusts the client's `metadata` and `input_channel`, so a REST message could
claim to come from a robot and send it walking; this one drops both and stamps the channel
itself. Sender ids are namespaced (`rest:me`), so a REST client cannot continue a WeChat,
robot or hotline conversation (`wechat:…`, `robot:…`) by naming it.
"""

from __future__ import annotations

import logging
import re
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.replies import BUSY
from channels import replay
from common.pii import install_log_masking, mask_pii, pseudonymise
from common.security import bearer_matches, secret

logger = logging.getLogger(__name__)
MAX_SENDER = 500
MAX_MESSAGE = 500
_SCREEN_ID = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class BadRequest(ValueError):
    """The request does not follow the channel's documented shape; the message says how."""


REST_EXAMPLE = '{"sender": "me", "message": "你好"}'


def read_body(request: Request, example: str = REST_EXAMPLE) -> dict[str, Any]:
    """The JSON object body, or BadRequest (its message shows the channel's `example`)."""
    try:
        body = request.json
    except Exception as error:  # Sanic raises on malformed JSON
        raise BadRequest("the body must be a JSON object: it is not valid JSON") from error
    if not isinstance(body, dict):
        raise BadRequest(f"the body must be a JSON object, e.g. {example}")
    return body


def read_text(body: dict[str, Any], field: str, limit: int) -> str:
    """A required, non-blank string field of at most `limit` characters, stripped."""
    value = body.get(field)
    if value is None:
        raise BadRequest(f"'{field}' is required")
    if not isinstance(value, str):
        raise BadRequest(f"'{field}' must be a string, not {type(value).__name__}")
    value = value.strip()
    if not value:
        raise BadRequest(f"'{field}' must not be empty")
    if len(value) > limit:
        raise BadRequest(f"'{field}' is longer than {limit} characters")
    return value


def sender_id(channel: str, sender: str) -> str:
    """The conversation id: namespaced by channel, without raw personal numbers."""
    return f"{channel}:{pseudonymise(sender, secret('TICKET_ENCRYPTION_KEY'))}"


def refuse_without_bearer(request: Request, token: str) -> HTTPResponse | None:
    """A 401 unless the request carries `Authorization: Bearer <token>`."""
    if bearer_matches(request.headers.get("Authorization"), token):
        return None
    return response.json({"error": "a valid Authorization: Bearer token is required"}, status=401)


class StrictRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def read_turn(self, request: Request) -> tuple[str, str, dict[str, Any]]:
        """(sender id, text, metadata) of one request; raises BadRequest."""
        body = read_body(request)
        sender, text = read_text(body, "sender", MAX_SENDER), read_text(body, "message", MAX_MESSAGE)
        return sender_id(self.name(), sender), text, {"channel": self.name()}

    def refused(self, request: Request) -> HTTPResponse | None:
        """A 401 for a request without the channel's credential; REST is open (app, hall PCs)."""
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"{self.name()}_webhook", __name__)
        # Rasa has configured its logging by now: mask numbers in everything it and Sanic write
        install_log_masking("sanic.root", "sanic.error", "sanic.access", "rasa")

        @webhook.listener("before_server_start")
        async def mask_logs(app: Any, loop: Any) -> None:
            install_log_masking("sanic.root", "sanic.error", "sanic.access", "rasa")

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refusal = self.refused(request)
            if refusal is not None:
                return refusal
            try:
                sender, text, metadata = self.read_turn(request)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            # HAProxy (make run-cluster) stamps each request once; its retry after a dead replica
            # carries the same id, so a turn that replica saved is answered from the record
            request_id = request.headers.get("x-request-id", "")[:100]
            message_id = replay.message_id(self.name(), request_id) if request_id else None
            if message_id:
                earlier = await replay.earlier_replies(replay.tracker_store_of(request.app), sender, message_id)
                if earlier is not None:
                    logger.info("%s request %s was answered before a replica died: replayed", self.name(), request_id)
                    return response.json(earlier)
            collector = CollectingOutputChannel()
            try:
                message = UserMessage(
                    text, collector, sender, input_channel=self.name(), metadata=metadata, message_id=message_id
                )
                await on_new_message(message)
            except CancelledError:
                logger.error("%s message timed out: %s", self.name(), mask_pii(text))
            except Exception:  # e.g. Rasa's LockError: the conversation stayed busy too long
                logger.exception("%s message failed: %s", self.name(), mask_pii(text))
            else:
                return response.json(collector.messages)
            # the turn failed or timed out before any reply: never leave the user with nothing
            return response.json(collector.messages or [{"recipient_id": sender, "text": BUSY}])

        return webhook


class ScreenInput(StrictRestInput):
    """Questions typed on a guide screen, relayed by the robot bridge with its token; the only
    way a turn gets the `screen` channel that draws routes on a screen."""

    @classmethod
    def name(cls) -> str:
        return "screen"

    def __init__(self) -> None:
        self.token = secret("ROBOT_BRIDGE_TOKEN")

    def refused(self, request: Request) -> HTTPResponse | None:
        return refuse_without_bearer(request, self.token)

    def read_turn(self, request: Request) -> tuple[str, str, dict[str, Any]]:
        _, text, _ = super().read_turn(request)
        screen_id = read_text(read_body(request), "screen_id", 100)
        if not _SCREEN_ID.match(screen_id):
            raise BadRequest("'screen_id' must be letters, digits, '-', '_' or '.'")
        sender = read_text(read_body(request), "sender", MAX_SENDER)
        return sender_id("screen", f"{screen_id}:{sender}"), text, {"channel": "screen", "screen_id": screen_id}
