"""A retried message is answered from the conversation's record, not run twice (channels/replay.py).

A stand-in for Rasa saves each turn in a real Rasa InMemoryTrackerStore as Rasa does (the user
message with its message_id, then the bot's messages), so the replay reads what Rasa would."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered

from channels.replay import earlier_replies, message_id
from channels.rest import StrictRestInput
from channels.state import RedisState
from channels.tracker_store import MaskedSQLTrackerStore
from channels.wechat import WeChatInput
from channels.wechat_api import WeChatSettings
from tests.utils.sanic_server import serve_blueprint
from tests.utils.wechat import TOKEN, reply_fields, signed_query, text_xml

pytestmark = pytest.mark.asyncio
BUTTONS = [{"title": "普通护照签发", "payload": '/choose_option{"choice": "matter:a"}'}]


@dataclass
class RecordingRasa:
    """Rasa's on_new_message, reduced to what matters here: the turn is saved, then answered."""

    store: Any  # a Rasa tracker store
    turns: list[UserMessage] = field(default_factory=list)

    async def __call__(self, message: UserMessage) -> None:
        self.turns.append(message)
        tracker = await self.store.get_or_create_tracker(message.sender_id)
        answer = f"第{len(self.turns)}次回答：{message.text}"
        tracker.update(UserUttered(message.text, message_id=message.message_id))
        tracker.update(BotUttered(answer, data={"buttons": BUTTONS}))
        await self.store.save(tracker)
        await message.output_channel.send_text_with_buttons(message.sender_id, answer, BUTTONS)


def _store() -> InMemoryTrackerStore:
    return InMemoryTrackerStore(Domain.empty())


def test_message_ids_are_digests_in_letters_that_no_masking_touches() -> None:
    raw = "o-replay-1:13912345678901234"
    assert message_id("wechat", raw) == message_id("wechat", raw) != message_id("wechat", raw + "5")
    assert message_id("wechat", raw).startswith("wechat:")
    assert message_id("wechat", raw).removeprefix("wechat:").isalpha()


async def test_earlier_replies_are_the_bot_messages_after_that_user_message() -> None:
    store = _store()
    tracker = await store.get_or_create_tracker("rest:o-1")
    for event in [
        UserUttered("护照", message_id="rest:a"),
        BotUttered("您问的是哪一项？", data={"buttons": BUTTONS}),
        UserUttered("第一个", message_id="rest:b"),
        BotUttered("【普通护照签发】"),
        BotUttered("还有什么可以帮您？"),
        UserUttered("谢谢", message_id="rest:c"),
    ]:
        tracker.update(event)
    await store.save(tracker)
    assert await earlier_replies(store, "rest:o-1", "rest:a") == [
        {"recipient_id": "rest:o-1", "text": "您问的是哪一项？", "buttons": BUTTONS}
    ]
    assert [m["text"] for m in await earlier_replies(store, "rest:o-1", "rest:b") or []] == [
        "【普通护照签发】", "还有什么可以帮您？",
    ]
    assert await earlier_replies(store, "rest:o-1", "rest:c") == []  # saved without an answer yet
    assert await earlier_replies(store, "rest:o-1", "rest:never") is None
    assert await earlier_replies(store, "rest:nobody", "rest:a") is None
    assert await earlier_replies(None, "rest:o-1", "rest:a") is None


async def test_rest_retry_with_the_same_request_id_is_answered_from_the_record() -> None:
    store = _store()
    rasa = RecordingRasa(store)
    agent = SimpleNamespace(tracker_store=store)
    async with serve_blueprint(StrictRestInput().blueprint(rasa), "/webhooks/rest", agent=agent) as base:
        url = f"{base}/webhooks/rest/webhook"
        async with aiohttp.ClientSession() as session:

            async def say(text: str, request_id: str) -> Any:
                headers = {"X-Request-ID": request_id}
                async with session.post(url, json={"sender": "o-1", "message": text}, headers=headers) as response:
                    assert response.status == 200
                    return await response.json()

            first = await say("护照", "req-1")
            # HAProxy's retry after the replica died: same request, same id
            retry = await say("护照", "req-1")
            again = await say("护照", "req-2")  # the user asking again is a new turn
    assert first == retry == [{"recipient_id": "rest:o-1", "text": "第1次回答：护照", "buttons": BUTTONS}]
    assert again[0]["text"] == "第2次回答：护照"
    assert [m.message_id for m in rasa.turns] == [message_id("rest", "req-1"), message_id("rest", "req-2")]


async def test_a_wechat_retry_after_the_owner_died_is_answered_from_the_record(redis_url: str, tmp_path: Any) -> None:
    # the real store, which masks digit runs like a MsgId: the id must survive it (failover run 10)
    store = MaskedSQLTrackerStore(dialect="sqlite", url=f"sqlite:///{tmp_path / 'rasa.db'}", domain=Domain.empty())
    first, second = RecordingRasa(store), RecordingRasa(store)
    agent = SimpleNamespace(tracker_store=store)
    settings = WeChatSettings(token=TOKEN, passive_timeout=5.0, api_base="http://127.0.0.1:1")
    state_a, state_b = RedisState(redis_url), RedisState(redis_url)
    await state_a.client.flushdb()
    xml = text_xml("o-replay-1", "驾照快到期了怎么换", msg_id=6912345678901234567)  # 19 digits, as WeChat's are
    a, b = WeChatInput(settings, state=state_a), WeChatInput(settings, state=state_b)
    async with (
        serve_blueprint(a.blueprint(first), "/webhooks/wechat", agent=agent) as base_a,
        serve_blueprint(b.blueprint(second), "/webhooks/wechat", agent=agent) as base_b,
        aiohttp.ClientSession() as session,
    ):

        async def post(base: str) -> str:
            async with session.post(f"{base}/webhooks/wechat/webhook", params=signed_query(), data=xml) as response:
                text = await response.text()
            return str(reply_fields(text)["Content"]) if text else ""

        answered = await post(base_a)
        # replica A died after saving the turn and before it marked the message done: its lease lapsed
        await state_a.client.flushdb()
        retried = await post(base_b)
    await state_a.close()
    await state_b.close()
    assert answered.startswith("第1次回答：驾照快到期了怎么换")
    assert retried == answered
    assert len(first.turns) == 1 and second.turns == []
    assert first.turns[0].message_id == message_id("wechat", "o-replay-1:6912345678901234567")


async def test_a_wechat_retry_of_an_answer_lost_with_its_replica_is_answered_again(
    redis_url: str, tmp_path: Any
) -> None:
    """Replica A finished the turn and marked the message done, then died before its reply left
    (the failover test caught this: the first answer came back empty). B's retry replays the
    record; a message whose answer A pushed through the customer-service API gets nothing."""
    store = MaskedSQLTrackerStore(dialect="sqlite", url=f"sqlite:///{tmp_path / 'rasa.db'}", domain=Domain.empty())
    first, second = RecordingRasa(store), RecordingRasa(store)
    agent = SimpleNamespace(tracker_store=store)
    settings = WeChatSettings(token=TOKEN, passive_timeout=5.0, api_base="http://127.0.0.1:1")
    state_a, state_b = RedisState(redis_url), RedisState(redis_url)
    await state_a.client.flushdb()
    lost = text_xml("o-replay-2", "护照在哪办", msg_id=6912345678901234568)
    pushed = text_xml("o-replay-2", "社保卡丢了", msg_id=6912345678901234569)
    a, b = WeChatInput(settings, state=state_a), WeChatInput(settings, state=state_b)
    async with (
        serve_blueprint(a.blueprint(first), "/webhooks/wechat", agent=agent) as base_a,
        serve_blueprint(b.blueprint(second), "/webhooks/wechat", agent=agent) as base_b,
        aiohttp.ClientSession() as session,
    ):

        async def post(base: str, xml: str) -> str:
            async with session.post(f"{base}/webhooks/wechat/webhook", params=signed_query(), data=xml) as response:
                text = await response.text()
            return str(reply_fields(text)["Content"]) if text else ""

        answered = await post(base_a, lost)  # the reply that, in the failover, never reached WeChat
        retried = await post(base_b, lost)
        await post(base_a, pushed)
        await state_a.set("wechat:pushed:o-replay-2:6912345678901234569", "1", 30)  # as if A had pushed it
        pushed_retry = await post(base_b, pushed)
    await state_a.close()
    await state_b.close()
    assert answered.startswith("第1次回答：护照在哪办") and retried == answered
    assert pushed_retry == ""
    assert second.turns == []  # B ran nothing: the record answered
