"""The greeter robots' voice channel: ASR text in, speakable sentences and robot actions out.

POST /webhooks/robot/webhook
    {"robot_id", "session_id", "text", "asr_confidence"?, "nbest"?: [{"text", "confidence"}]}
 -> {"speech": ["…"], "actions": [{"type": "guide_to" | "show_on_screen" | "handoff", …}]}

With n-best hypotheses the one the assistant understands best is used; a doubtful one
(asr_confidence below ASR_CONFIRM_BELOW) is repeated back for 是/不是 before anything happens.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions import replies
from channels.rest import BadRequest, read_body, refuse_without_bearer, sender_id
from channels.speech import speakable
from channels.voice import PendingConfirmations, plan_turn, read_hypotheses
from common.security import secret

HALL_MAP = (
    Path(
        os.environ.get("KNOWLEDGE_CATALOG_DIR", Path(__file__).resolve().parents[1] / "catalog" / "data")
    )
    / "hall.yml"
)


def _robot_screens() -> dict[str, str]:
    """robot id -> its nearest guide screen, from the hall map."""
    hall = yaml.safe_load(HALL_MAP.read_text(encoding="utf-8"))
    return {robot["id"]: robot["screen"] for robot in hall["robots"]}


def _actions(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    for message in messages:
        custom = message.get("custom") or {}
        if "guide" in custom:
            actions.append({"type": "guide_to", **custom["guide"]})
        if "notice" in custom:
            actions.append({"type": "show_on_screen", "notice": custom["notice"]})
        if "handoff" in custom:
            actions.append({"type": "handoff", **custom["handoff"]})
    return actions


class RobotInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "robot"

    def __init__(self) -> None:
        self.screens = _robot_screens()
        self.pending = PendingConfirmations()
        self.token = secret("ROBOT_WEBHOOK_TOKEN")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        robot_webhook = Blueprint("robot_webhook", __name__)

        @robot_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "robots": sorted(self.screens)})

        @robot_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refusal = refuse_without_bearer(request, self.token)
            if refusal is not None:
                return refusal
            try:
                body = read_body(request, example='{"robot_id": "robot-north", "session_id": "s-1", "text": "…"}')
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            robot_id = str(body.get("robot_id") or "")[:100]
            session_id = body.get("session_id")
            if robot_id not in self.screens:
                return response.json(
                    {"error": f"unknown robot_id '{robot_id}'", "robots": sorted(self.screens)}, status=422
                )
            if not isinstance(session_id, str) or not session_id.strip() or len(session_id) > 100:
                return response.json(
                    {"error": "session_id is required (a string of at most 100 characters)"}, status=422
                )
            try:
                hypotheses = read_hypotheses(body)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=422)
            if not hypotheses:
                return response.json({"speech": [replies.ROBOT_PROMPT], "actions": []})
            sender = sender_id("robot", f"{robot_id}:{session_id}")
            turn = await plan_turn(sender, hypotheses, request.app.ctx.agent.parse_message, self.pending)
            if turn.text is None:
                return response.json({"speech": turn.speech, "actions": []})
            collector = CollectingOutputChannel()
            metadata = {"channel": "robot", "robot_id": robot_id, "screen_id": self.screens[robot_id]}
            await on_new_message(
                UserMessage(turn.text, collector, sender_id=sender, input_channel="robot", metadata=metadata)
            )
            texts = [str(m["text"]) for m in collector.messages if m.get("text")]
            return response.json({"speech": speakable(texts), "actions": _actions(collector.messages)})

        return robot_webhook
