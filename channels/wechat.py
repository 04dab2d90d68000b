"""The WeChat official-account channel: signed (plain or AES) XML in, one text reply out.

GET  /webhooks/wechat/webhook?signature&timestamp&nonce&echostr  -> echostr (server verification)
POST /webhooks/wechat/webhook?signature&timestamp&nonce[&encrypt_type=aes&msg_signature]
     <xml>…</xml>  -> passive XML reply, or "" and the answer later through the customer-service API

Settings and the way to connect a real account: docs/channels/wechat.md.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import xmltodict
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.replies import create_reply
from wechatpy.utils import check_signature

from actions import replies
from actions.replies import BUSY
from channels import replay
from channels.state import ChannelState, channel_state, claim, held
from channels.wechat_api import (
    Turn,
    TurnCache,
    WeChatAPI,
    WeChatSettings,
    load_settings,
    mask_openid,
    pick_option,
    render,
    shorten,
)

logger = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

# menu CLICK keys -> an intent payload for Rasa (bot/domain/*.yml), or, where the intent needs a
# matter or a place the click cannot name, a prompt for the user's words (replies.WECHAT_MENU_PROMPTS)
MENU_INTENTS = {"POLICY": "/match_policy", "HUMAN": "/request_human"}
# ... or, where the intent needs a matter or a place the click cannot name (ask_matter, ask_place), a prompt
# buttons the user may answer by number are remembered this long
OPTIONS_SECONDS = 600
# a signed request older or newer than this is refused (WeChat retries within seconds)
TIMESTAMP_WINDOW_SECONDS = 300


async def claim_nonce(state: ChannelState, signature: str, nonce: str, message_key: str) -> bool:
    """Record which message a (signature, nonce) pair signed; False if it already signed another.

    A pair may sign its own message again (WeChat's retries, answered once by the MsgId claim),
    never another one: a captured request cannot be replayed with a different message or user.
    The record lives in the shared channel state, so a replay sent to another replica is refused too.
    """
    key = f"wechat:nonce:{signature}:{nonce}"
    if await state.add(key, message_key, 2 * TIMESTAMP_WINDOW_SECONDS):
        return True
    return await state.get(key) == message_key


class WeChatPushOutput(OutputChannel):
    """Messages sent to a WeChat user outside a turn, through the customer-service API.

    Rasa uses it when something other than the user's own message speaks into the conversation:
    a staff reply to a ticket from the console (`POST /conversations/{id}/tracker/events` with
    `output_channel=wechat`). A message WeChat refuses (45015: the user wrote nothing in 48 h)
    raises, so the caller learns it was not delivered and can phone the citizen instead.
    """

    @classmethod
    def name(cls) -> str:
        return "wechat"

    def __init__(self, api: WeChatAPI, max_bytes: int) -> None:
        self.api, self.max_bytes = api, max_bytes

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        openid = recipient_id.removeprefix("wechat:")
        if not await self.api.send_text(openid, shorten(text, self.max_bytes)):
            raise WeChatNotDelivered(f"WeChat did not accept the message for {mask_openid(openid)}")


class WeChatNotDelivered(RuntimeError):
    """WeChat's customer-service API refused a pushed message."""


class WeChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WeChatInput:
        return cls(load_settings())

    def __init__(self, settings: WeChatSettings | None = None, state: ChannelState | None = None) -> None:
        self.settings = settings or load_settings()
        # MsgId claims and numbered options are shared by the Rasa replicas (channels/state.py)
        self.state = state or channel_state()
        self.replica = uuid.uuid4().hex[:12]
        self.api = WeChatAPI(self.settings)
        self.crypto = (
            WeChatCrypto(self.settings.token, self.settings.encoding_aes_key, self.settings.app_id)
            if self.settings.encoding_aes_key
            else None
        )
        self.turns = TurnCache(self.settings.dedup_seconds)
        self.background: set[asyncio.Task[Any]] = set()
        self._seq = itertools.count()

    def get_output_channel(self) -> OutputChannel:
        """How Rasa's API pushes into a WeChat conversation (docs/console.md: ticket replies)."""
        return WeChatPushOutput(self.api, self.settings.max_reply_bytes)

    def _signed(self, request: Request) -> bool:
        """A valid signature on a timestamp within the window (a stale request is a replay)."""
        args = request.args
        try:
            if abs(time.time() - int(args.get("timestamp", ""))) > TIMESTAMP_WINDOW_SECONDS:
                return False
        except ValueError:
            return False
        try:
            check_signature(
                self.settings.token, args.get("signature", ""), args.get("timestamp", ""), args.get("nonce", "")
            )
        except InvalidSignatureException:
            return False
        return True

    def _extract_xml(self, request: Request) -> str:
        """The message XML, decrypted in safe mode; raises ValueError (400) or InvalidSignatureException (403)."""
        raw: str = request.body.decode("utf-8")
        args = request.args
        if args.get("encrypt_type", "raw") == "aes":
            if self.crypto is None:
                raise ValueError("encrypted message but WECHAT_ENCODING_AES_KEY is not set")
            outer = _safe_xml(raw)
            return str(
                self.crypto.decrypt_message(
                    outer, args.get("msg_signature", ""), args.get("timestamp", ""), args.get("nonce", "")
                )
            )
        return raw

    async def _user_text(self, message: BaseMessage) -> tuple[str | None, str | None]:
        """(text for Rasa, or a direct reply) for one WeChat message or event."""
        if message.type == "text":
            content = (message.content or "").strip()
            options = await self.state.get(f"wechat:options:{message.source}")
            if options:
                content = pick_option(content, [tuple(o) for o in json.loads(options)]) or content
            return (content, None) if content else (None, replies.WECHAT_CANNOT)
        if message.type == "voice":
            recognition = (message.recognition or "").strip()
            return (recognition, None) if recognition else (None, replies.WECHAT_NOT_HEARD)
        if message.type == "event" and message.event in ("subscribe", "subscribe_scan"):
            return None, replies.WECHAT_WELCOME
        if message.type == "event" and message.event == "click" and message.key in MENU_INTENTS:
            return MENU_INTENTS[message.key], None
        if message.type == "event" and message.event == "click" and message.key in replies.WECHAT_MENU_PROMPTS:
            return None, replies.WECHAT_MENU_PROMPTS[message.key]
        return None, replies.WECHAT_CANNOT

    async def _turn(self, on_new_message: OnNewMessage, message: BaseMessage, text: str, tracker_store: Any) -> str:
        """One Rasa turn; the rendered text reply, and the numbered options remembered for the user."""
        collector = CollectingOutputChannel()
        metadata = {"channel": "wechat", "openid": message.source}
        sender, message_id = f"wechat:{message.source}", replay.message_id("wechat", _dedup_key(message))
        try:
            # a replica that died after saving this turn: answer its retry from the record
            earlier = await replay.earlier_replies(tracker_store, sender, message_id)
            if earlier is not None:
                logger.info("WeChat message answered before a replica died: replayed")
                collector.messages = earlier
            else:
                user_message = UserMessage(
                    text, collector, sender, input_channel="wechat", metadata=metadata, message_id=message_id
                )
                await on_new_message(user_message)
        except Exception:
            logger.exception("Rasa failed on a WeChat message from %s", mask_openid(message.source))
            return BUSY
        return await self._deliverable(collector.messages, message)

    async def _deliverable(self, messages: list[dict[str, Any]], message: BaseMessage) -> str:
        """The bot's messages as one WeChat text; their numbered options remembered for the user."""
        rendered = render(messages, self.settings.public_url)
        options_key = f"wechat:options:{message.source}"
        if rendered.options:
            await self.state.set(options_key, json.dumps(rendered.options, ensure_ascii=False), OPTIONS_SECONDS)
        else:
            await self.state.pop(options_key)
        return shorten(rendered.text or replies.NO_REPLY, self.settings.max_reply_bytes, rendered.link)

    async def _settle(self, turn: Turn, openid: str, key: str) -> None:
        """Decide passive or async once, when Rasa answered or the passive deadline passed; deliver async."""
        done, _ = await asyncio.wait({turn.task}, timeout=self.settings.passive_timeout)
        if done and turn.waiters:
            turn.state, turn.claimant = "passive", max(turn.waiters)
        else:
            turn.state = "async"
        turn.settled.set()
        if turn.state == "async":
            # a retry reaching another replica must not answer again what was pushed
            await self.state.set(f"wechat:pushed:{key}", "1", self.settings.dedup_seconds)
            await self.api.send_text(openid, await turn.task)

    def _spawn(self, coroutine: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coroutine)
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        return task

    async def _answer(self, on_new_message: OnNewMessage, message: BaseMessage, text: str, tracker_store: Any) -> str:
        """The passive reply text, or "" when the answer goes (or went) another way."""
        key = _dedup_key(message)
        turn = self.turns.get(key)
        if turn is None:
            # another replica may hold this MsgId (WeChat's retry followed the sender to a new replica)
            claim_key = f"wechat:msg:{key}"
            if not await claim(self.state, claim_key, self.replica, self.settings.passive_timeout):
                logger.info("WeChat retry of %s: answered, or being answered, elsewhere (channel state)", key)
                return await self._answered_elsewhere(message, key, claim_key, tracker_store)
            work = self._turn(on_new_message, message, text, tracker_store)
            held_turn = held(self.state, claim_key, self.replica, work, self.settings.dedup_seconds)
            turn = Turn(task=asyncio.ensure_future(held_turn))
            self.turns.add(key, turn)
            self._spawn(self._settle(turn, message.source, key))
        elif turn.state != "pending":
            logger.info("WeChat retry of %s: already answered", key)
            return ""
        seq = next(self._seq)
        turn.waiters.add(seq)
        try:
            # WeChat drops a connection when it retries, so only the newest request gets the answer
            await turn.settled.wait()
        finally:
            turn.waiters.discard(seq)
        return turn.task.result() if turn.state == "passive" and turn.claimant == seq else ""

    async def _answered_elsewhere(self, message: BaseMessage, key: str, claim_key: str, tracker_store: Any) -> str:
        """A retry of a message another replica finished. WeChat retries only what it got no reply
        to, so a passive answer was lost (its replica died before the reply left): it is answered
        again from the record. One that was pushed, or is still running elsewhere, gets nothing."""
        if await self.state.get(claim_key) != "done" or await self.state.get(f"wechat:pushed:{key}"):
            return ""
        sender, message_id = f"wechat:{message.source}", replay.message_id("wechat", key)
        earlier = await replay.earlier_replies(tracker_store, sender, message_id)
        if not earlier:
            return ""
        logger.info("WeChat retry of %s: its answer was lost with a replica, replayed from the record", key)
        return await self._deliverable(earlier, message)

    def _reply(self, request: Request, message: BaseMessage, text: str) -> HTTPResponse:
        if not text:
            return response.text("")
        xml = create_reply(text, message).render()
        if request.args.get("encrypt_type", "raw") == "aes" and self.crypto is not None:
            xml = self.crypto.encrypt_message(xml, request.args.get("nonce", ""), request.args.get("timestamp"))
        return response.text(xml, content_type="application/xml")

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        wechat_webhook = Blueprint("wechat_webhook", __name__)

        @wechat_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "safe_mode": self.crypto is not None})

        @wechat_webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self._signed(request):
                return response.text("invalid signature", status=403)
            return response.text(request.args.get("echostr", ""))

        @wechat_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._signed(request):
                return response.text("invalid signature", status=403)
            if len(request.body) > self.settings.max_body_bytes:
                return response.text("message too large", status=413)
            if not request.body.strip():
                return response.text("empty body", status=400)
            try:
                message = parse_message(_safe_xml_text(self._extract_xml(request)))
                message_key = _dedup_key(message)
            except InvalidSignatureException:
                return response.text("invalid msg_signature", status=403)
            except Exception as error:  # malformed XML, bad base64 or padding, missing MsgType
                logger.warning("bad WeChat message: %s: %s", type(error).__name__, str(error)[:200])
                return response.text("malformed message", status=400)
            signature, nonce = request.args.get("signature", ""), request.args.get("nonce", "")
            if not await claim_nonce(self.state, signature, nonce, message_key):
                logger.warning("WeChat signature and nonce reused for another message: refused")
                return response.text("replayed signature", status=403)
            text, direct = await self._user_text(message)
            if text is None:
                return self._reply(request, message, direct or replies.WECHAT_CANNOT)
            answer = await self._answer(on_new_message, message, text, replay.tracker_store_of(request.app))
            return self._reply(request, message, answer)

        return wechat_webhook


def _safe_xml_text(xml: str) -> str:
    """Refuse DTDs and entities before any parser sees them (XXE, billion laughs)."""
    if "<!DOCTYPE" in xml.upper() or "<!ENTITY" in xml.upper():
        raise ValueError("XML with a DTD or entities")
    return xml


def _dedup_key(message: BaseMessage) -> str:
    """Sender + MsgId, or for events (which have none) sender + CreateTime; raises on a message
    without them. MsgId is unique in WeChat; with the sender, a colliding id from another user
    (a misbehaving proxy, a test) can never silence someone else's question."""
    if not message.source:
        raise ValueError("message without FromUserName")
    created = int(message.create_time.timestamp())
    # WeChat dedups events by sender + CreateTime; the event and key keep two clicks in one second apart
    event = f"{getattr(message, 'event', '')}:{getattr(message, 'key', '')}"
    return f"{message.source}:{message.id}" if message.id else f"{message.source}:{created}:{event}"


def _safe_xml(xml: str) -> dict[str, Any]:
    parsed = xmltodict.parse(_safe_xml_text(xml))["xml"]
    if not isinstance(parsed, dict) or "Encrypt" not in parsed:
        raise ValueError("encrypted message without Encrypt")
    return parsed
