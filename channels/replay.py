"""A message that was already answered is answered again from the conversation's record, not run twice.

A Rasa replica can die after it saved a turn and before its answer reached the client. The
client's retry (WeChat resends the same MsgId; HAProxy resends a request whose connection
closed before any answer, with the same X-Request-ID) then reaches another replica. Each
message carries its id into the tracker (`UserUttered.message_id`), so that replica finds the
turn in the shared tracker store and replies with the bot messages the dead replica sent,
instead of running the turn a second time (docs/deployment.md, the failover test).
"""

from __future__ import annotations

import hashlib
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered


def message_id(channel: str, raw: str) -> str:
    """The id a message carries into the tracker: a digest in letters only, because the tracker
    store masks digit runs that look like phone or ID numbers (a WeChat MsgId is one)."""
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]
    return f"{channel}:" + "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


async def earlier_replies(tracker_store: Any, sender_id: str, message_id: str) -> list[dict[str, Any]] | None:
    """The bot messages that answered `message_id` in this conversation, or None if it never ran."""
    if tracker_store is None:
        return None
    tracker = await tracker_store.retrieve(sender_id)
    if tracker is None:
        return None
    replies: list[dict[str, Any]] | None = None
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break  # the next user message: the answer is complete
            if event.message_id == message_id:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            # the shape CollectingOutputChannel gives the channels
            extras = {key: value for key, value in (event.data or {}).items() if value}
            replies.append({"recipient_id": sender_id, **({"text": event.text} if event.text else {}), **extras})
    return replies


def tracker_store_of(app: Any) -> Any:
    """The tracker store of the Rasa agent serving this Sanic app (None outside Rasa, in tests)."""
    agent = getattr(app.ctx, "agent", None)
    return getattr(agent, "tracker_store", None)
