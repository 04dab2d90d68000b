"""Getting a staff reply to the citizen on the channel they used, when that channel can take it.

A reply is appended to the citizen's conversation through the Rasa server's HTTP API
(`POST /conversations/{id}/tracker/events?execute_side_effects=true&output_channel=…`), which
sends it through that channel's output: the chat page shows it in the open conversation, and the
conversation history keeps it. Channels without a way to push (REST polling, the robots, the
hotline) get the reply by phone or at the desk, and so does a WeChat user who has not written
for 48 hours (WeChat refuses the customer-service message): the console says so."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from common.pii import mask_pii

logger = logging.getLogger(__name__)

# channels whose Rasa output can reach the citizen after their conversation went quiet
PUSH_CHANNELS = {"webchat": "聊天页面", "wechat": "微信公众号（客服消息）"}


@dataclass(frozen=True)
class Delivery:
    delivered: bool
    summary: str  # what the staff member is told, e.g. "已发送到聊天页面"


def reply_prefix(number: str) -> str:
    return f"【工单{number}答复】"


# characters a path segment may carry as they are (RFC 3986 pchar): Rasa's server does not
# decode percent-escapes in the conversation id, so "wechat%3Ao-abc" would be another conversation
_PATH_SAFE = ":@!$&'()*+,;="


def _conversation_url(rasa_url: str, sender: str) -> str:
    return f"{rasa_url.rstrip('/')}/conversations/{quote(sender, safe=_PATH_SAFE)}"


def deliver_reply(rasa_url: str, rasa_token: str, sender: str, channel: str, number: str, text: str) -> Delivery:
    """Send the reply into the citizen's conversation; never raises."""
    if channel not in PUSH_CHANNELS:
        return Delivery(False, "该渠道无法主动推送，请电话或在导服台当面答复")
    params = {"execute_side_effects": "true", "output_channel": channel}
    if rasa_token:
        params["token"] = rasa_token
    event = {"event": "bot", "text": reply_prefix(number) + text, "metadata": {"ticket": number}}
    try:
        response = httpx.post(
            f"{_conversation_url(rasa_url, sender)}/tracker/events", params=params, json=event, timeout=5
        )
        response.raise_for_status()
    except httpx.HTTPError as error:
        logger.warning("reply to %s not delivered: %s", number, mask_pii(str(error)))
        return Delivery(False, "发送失败（对话服务不可用），请电话或在导服台当面答复")
    return Delivery(True, f"已发送到{PUSH_CHANNELS[channel]}")


def conversation_excerpt(rasa_url: str, rasa_token: str, sender: str, limit: int = 12) -> list[tuple[str, str]] | None:
    """The last turns of the citizen's conversation as (who, text), masked; None if unavailable."""
    params = {"token": rasa_token} if rasa_token else {}
    try:
        response = httpx.get(f"{_conversation_url(rasa_url, sender)}/tracker", params=params, timeout=5)
        response.raise_for_status()
        events = response.json().get("events") or []
    except (httpx.HTTPError, ValueError):
        return None
    turns = [
        ("群众" if e["event"] == "user" else "助手", mask_pii(str(e.get("text") or "")))
        for e in events
        if e.get("event") in ("user", "bot") and e.get("text")
    ]
    return turns[-limit:]
