"""Two WeChat channels sharing one Redis, as two Rasa replicas behind HAProxy do: a retry that
reaches the other replica is answered once, and numbered options survive the move."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest

from channels.state import RedisState
from channels.wechat import WeChatInput
from channels.wechat_api import WeChatSettings
from tests.channels.test_wechat import WEBHOOK, FakeRasa
from tests.utils.sanic_server import serve_blueprint
from tests.utils.waiting import wait_for
from tests.utils.wechat import TOKEN, reply_fields, signed_query, text_xml

pytestmark = pytest.mark.asyncio
SETTINGS = WeChatSettings(token=TOKEN, passive_timeout=5.0, api_base="http://127.0.0.1:1")


@asynccontextmanager
async def replica(redis_url: str, rasa: FakeRasa) -> AsyncIterator[str]:
    """One replica: its own channel, its own Redis client, the shared Redis server."""
    state = RedisState(redis_url)
    channel = WeChatInput(SETTINGS, state=state)
    async with serve_blueprint(channel.blueprint(rasa), "/webhooks/wechat") as base:
        yield base
    await state.close()


async def post(session: aiohttp.ClientSession, base: str, xml: str) -> str:
    async with session.post(base + WEBHOOK, params=signed_query(), data=xml) as response:
        assert response.status == 200
        text = await response.text()
    return str(reply_fields(text)["Content"]) if text else ""


async def test_a_retry_on_another_replica_is_answered_once(redis_url: str) -> None:
    first, second = FakeRasa(delay=0.5), FakeRasa()
    async with replica(redis_url, first) as a, replica(redis_url, second) as b, aiohttp.ClientSession() as session:
        xml = text_xml("o-replica-1", "驾照快到期了怎么换", msg_id=918273645501)
        at_a = asyncio.ensure_future(post(session, a, xml))
        await wait_for(lambda: first.received)  # A claimed the message and is in Rasa
        # the retry arrives at B while A is still in Rasa, and again after A answered
        during = await post(session, b, xml)
        answered, after = await at_a, await post(session, b, xml)
    assert answered == "好的，已收到。"
    assert during == after == ""
    assert first.texts == ["驾照快到期了怎么换"] and second.texts == []


async def test_options_given_by_one_replica_are_understood_by_another(redis_url: str) -> None:
    buttons = [
        {"title": "机动车驾驶证期满换证", "payload": '/choose_option{"choice": "matter:a"}'},
        {"title": "机动车驾驶证补证", "payload": '/choose_option{"choice": "matter:b"}'},
    ]
    first, second = FakeRasa(reply=[{"text": "您问的是哪一项？", "buttons": buttons}]), FakeRasa()
    async with replica(redis_url, first) as a, replica(redis_url, second) as b, aiohttp.ClientSession() as session:
        await post(session, a, text_xml("o-replica-2", "驾照"))
        await post(session, b, text_xml("o-replica-2", "2"))
    assert second.texts == ['/choose_option{"choice": "matter:b"}']
