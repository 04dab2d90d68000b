"""The phone hotline's live channel, for an IVR or an agent's assist panel.

POST /webhooks/hotline/webhook
    {"call_id", "text", "asr_confidence"?, "nbest"?: [{"text", "confidence"}], "agent_id"?}
 -> {"call_id", "speech": ["…"], "display": ["…"], "records": ["catalog name", …],
     "actions": [{"type": "transfer", "reason", "to", "work_order"?}]}

`speech` is for the IVR's text-to-speech, `display` the same answer as text for an agent's panel.
A `transfer` action asks the IVR to put the caller through to a person: when the caller asks for
one, when the call is a complaint (a work order is filed first), or when the assistant could not
answer twice in the same call.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions import replies
from channels.rest import BadRequest, read_body, refuse_without_bearer, sender_id
from channels.speech import speakable
from channels.state import ChannelState, channel_state
from channels.voice import NOT_UNDERSTOOD, PendingConfirmations, plan_turn, read_hypotheses
from common.pii import mask_pii
from common.security import secret

FAILURES_BEFORE_TRANSFER = 2
# a call's failure count is forgotten this long after its last turn
CALL_SECONDS = 3600.0
_RECORD_NAME = re.compile(r"【([^】]+)】")


def failed(intent: str | None, messages: list[dict[str, Any]]) -> bool:
    """Whether this turn left the caller without an answer: a reply says so in its outcome field."""
    if any(m.get("outcome") == replies.NO_ANSWER for m in messages):
        return True
    texts = [str(m["text"]) for m in messages if m.get("text")]
    return intent in NOT_UNDERSTOOD and not any(_RECORD_NAME.search(text) for text in texts)


class OutcomeCollectingChannel(CollectingOutputChannel):
    """Collects the replies with their outcome field (the base class drops extra fields)."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._persist_message({**self._message(recipient_id, text=text), "outcome": kwargs.get("outcome")})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        message = self._message(recipient_id, text=text, buttons=buttons)
        await self._persist_message({**message, "outcome": kwargs.get("outcome")})


def transfer(messages: list[dict[str, Any]], turn_failed: bool, failures: int) -> dict[str, Any] | None:
    """The transfer action this turn calls for, if any; `failures` counts this call's failed turns."""
    customs = [m.get("custom") or {} for m in messages]
    order = next((c["work_order"] for c in customs if "work_order" in c), None)
    if order is not None:
        return {"type": "transfer", "reason": "complaint", "to": replies.AGENTS, "work_order": order}
    if any("handoff" in c for c in customs):
        return {"type": "transfer", "reason": "caller_request", "to": replies.AGENTS}
    if turn_failed and failures >= FAILURES_BEFORE_TRANSFER:
        return {"type": "transfer", "reason": "not_answered", "to": replies.AGENTS}
    return None


class HotlineInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "hotline"

    def __init__(self, state: ChannelState | None = None) -> None:
        # confirmations and failed turns per call, shared by the Rasa replicas (channels/state.py)
        self.state = state or channel_state()
        self.pending = PendingConfirmations(state=self.state)
        self.token = secret("HOTLINE_WEBHOOK_TOKEN")

    async def _count_failure(self, call_id: str, turn_failed: bool) -> int:
        key = f"hotline:failures:{call_id}"
        if turn_failed:
            return await self.state.incr(key, CALL_SECONDS)
        return int(await self.state.get(key) or 0)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hotline_webhook = Blueprint("hotline_webhook", __name__)

        @hotline_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hotline_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refusal = refuse_without_bearer(request, self.token)
            if refusal is not None:
                return refusal
            try:
                body = read_body(request, example='{"call_id": "c-1", "text": "社保卡丢了怎么补"}')
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            call_id = body.get("call_id")
            if not isinstance(call_id, str) or not call_id.strip() or len(call_id) > 100:
                return response.json({"error": "call_id is required (a string of at most 100 characters)"}, status=422)
            agent_id = body.get("agent_id")
            if agent_id is not None and (not isinstance(agent_id, str) or len(agent_id) > 100):
                return response.json({"error": "agent_id must be a string of at most 100 characters"}, status=422)
            try:
                hypotheses = read_hypotheses(body)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=422)
            reply: dict[str, Any] = {"call_id": call_id, "speech": [], "display": [], "records": [], "actions": []}
            if not hypotheses:
                reply["speech"] = [replies.HOTLINE_GREETING]
                return response.json(reply)

            # a call may be named by the caller's number: the conversation id never holds it raw
            sender = sender_id("hotline", call_id)
            turn = await plan_turn(sender, hypotheses, request.app.ctx.agent.parse_message, self.pending)
            if turn.text is None:
                reply["speech"] = reply["display"] = [mask_pii(text) for text in turn.speech]
                return response.json(reply)
            collector = OutcomeCollectingChannel()
            metadata = {"channel": "hotline", "call_id": sender.removeprefix("hotline:"), "agent_id": agent_id}
            await on_new_message(
                UserMessage(turn.text, collector, sender_id=sender, input_channel="hotline", metadata=metadata)
            )

            # speech and display end up in IVR and agent-panel logs: no raw personal numbers
            texts = [mask_pii(str(m["text"])) for m in collector.messages if m.get("text")]
            turn_failed = failed(turn.intent, collector.messages)
            action = transfer(collector.messages, turn_failed, await self._count_failure(sender, turn_failed))
            if action is not None and action["reason"] == "not_answered":
                texts.append(replies.HOTLINE_TRANSFER)
            reply.update(
                speech=speakable(texts),
                display=texts,
                records=list(dict.fromkeys(name for text in texts for name in _RECORD_NAME.findall(text))),
                actions=[action] if action else [],
            )
            return response.json(reply)

        return hotline_webhook
