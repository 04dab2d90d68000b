"""The strict REST channel, the screen relay, and the voice webhooks' tokens (channels/rest.py,
robot.py, hotline.py) on a real Sanic server, with a stand-in for Rasa's on_new_message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.lock_store import LockError

from actions.replies import BUSY, DESK
from channels.hotline import HotlineInput
from channels.rest import ScreenInput, StrictRestInput
from channels.robot import RobotInput
from common.security import secret
from tests.utils.sanic_server import serve_blueprint

pytestmark = pytest.mark.asyncio


class FakeRasa:
    def __init__(self) -> None:
        self.received: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        await message.output_channel.send_text_message(message.sender_id, "好的")


async def _serve(channel: InputChannel, rasa: FakeRasa) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    async with serve_blueprint(channel.blueprint(rasa), f"/webhooks/{channel.name()}") as base:
        async with aiohttp.ClientSession() as session:
            yield f"{base}/webhooks/{channel.name()}/webhook", session


async def _post(session: aiohttp.ClientSession, url: str, **kwargs: Any) -> tuple[int, Any]:
    async with session.post(url, **kwargs) as response:
        return response.status, await response.json()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ([{"sender": "a", "message": "你好"}], "JSON object"),
        ("not json", "not valid JSON"),
        ({"message": "你好"}, "'sender' is required"),
        ({"sender": "a"}, "'message' is required"),
        ({"sender": "a", "message": 12345}, "'message' must be a string, not int"),
        ({"sender": ["a"], "message": "你好"}, "'sender' must be a string, not list"),
        ({"sender": "a", "message": "   "}, "'message' must not be empty"),
        ({"sender": "a" * 501, "message": "你好"}, "'sender' is longer than 500"),
        ({"sender": "a", "message": "办" * 501}, "'message' is longer than 500"),
    ],
)
async def test_rest_refuses_bad_input_with_a_reason(body: Any, reason: str) -> None:
    rasa = FakeRasa()
    async for url, session in _serve(StrictRestInput(), rasa):
        data = body.encode() if isinstance(body, str) else None
        status, answer = await _post(session, url, json=None if data else body, data=data)
        assert status == 400 and reason in answer["error"]
    assert rasa.received == []


async def test_rest_ignores_client_metadata_and_namespaces_the_sender() -> None:
    rasa = FakeRasa()
    async for url, session in _serve(StrictRestInput(), rasa):
        body = {
            "sender": "wechat:o-someone",
            "message": "带我去社保窗口",
            "metadata": {"channel": "robot", "robot_id": "robot-north", "screen_id": "screen-north"},
            "input_channel": "robot",
        }
        status, answer = await _post(session, url, json=body)
        assert status == 200 and answer == [{"recipient_id": "rest:wechat:o-someone", "text": "好的"}]
    (message,) = rasa.received
    assert message.sender_id == "rest:wechat:o-someone"
    assert message.input_channel == "rest" and message.metadata == {"channel": "rest"}


async def test_a_sender_holding_a_phone_number_is_stored_without_it() -> None:
    rasa = FakeRasa()
    async for url, session in _serve(StrictRestInput(), rasa):
        for _ in range(2):
            await _post(session, url, json={"sender": "13800001234", "message": "你好"})
        await _post(session, url, json={"sender": "13800005678", "message": "你好"})
    first, again, other = (m.sender_id for m in rasa.received)
    assert first.startswith("rest:138****1234~") and "13800001234" not in first
    assert first == again and other != first  # one conversation per sender, still apart


class FailingRasa(FakeRasa):
    """Rasa raising inside a turn, as its lock store does when a conversation stays busy too long."""

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        raise LockError(f"Could not acquire lock for conversation_id '{message.sender_id}'.")


async def test_a_failed_turn_gets_a_polite_reply_with_a_way_forward() -> None:
    rasa = FailingRasa()
    async for url, session in _serve(StrictRestInput(), rasa):
        status, answer = await _post(session, url, json={"sender": "o-1", "message": "驾照怎么换"})
    assert status == 200 and answer == [{"recipient_id": "rest:o-1", "text": BUSY}]
    assert "12345" in BUSY and DESK in BUSY


async def test_screen_channel_needs_the_bridge_token_and_stamps_the_screen() -> None:
    rasa = FakeRasa()
    body = {"sender": "screen-north-1", "message": "社保在哪", "screen_id": "screen-north"}
    async for url, session in _serve(ScreenInput(), rasa):
        assert (await _post(session, url, json=body))[0] == 401
        wrong = {"Authorization": "Bearer not-the-token"}
        assert (await _post(session, url, json=body, headers=wrong))[0] == 401
        auth = {"Authorization": f"Bearer {secret('ROBOT_BRIDGE_TOKEN')}"}
        status, answer = await _post(session, url, json={**body, "screen_id": "../x"}, headers=auth)
        assert status == 400 and "screen_id" in answer["error"]
        assert (await _post(session, url, json=body, headers=auth))[0] == 200
    (message,) = rasa.received
    assert message.sender_id == "screen:screen-north:screen-north-1"
    assert message.metadata == {"channel": "screen", "screen_id": "screen-north"}


@pytest.mark.parametrize(
    ("channel", "token", "body"),
    [
        (RobotInput, "ROBOT_WEBHOOK_TOKEN", {"robot_id": "robot-north", "session_id": "s1", "text": "带我去社保窗口"}),
        (HotlineInput, "HOTLINE_WEBHOOK_TOKEN", {"call_id": "c1", "text": "社保卡怎么补"}),
    ],
)
async def test_voice_webhooks_need_their_token(channel: type[InputChannel], token: str, body: dict[str, Any]) -> None:
    rasa = FakeRasa()
    async for url, session in _serve(channel(), rasa):
        assert (await _post(session, url, json=body))[0] == 401
        assert (await _post(session, url, json=body, headers={"Authorization": "Bearer x"}))[0] == 401
        other = "HOTLINE_WEBHOOK_TOKEN" if token == "ROBOT_WEBHOOK_TOKEN" else "ROBOT_WEBHOOK_TOKEN"
        assert (await _post(session, url, json=body, headers={"Authorization": f"Bearer {secret(other)}"}))[0] == 401
        auth = {"Authorization": f"Bearer {secret(token)}"}
        status, answer = await _post(session, url, json=[body], headers=auth)
        assert status == 400 and "JSON object" in answer["error"]
    assert rasa.received == []


async def test_hotline_caps_agent_id() -> None:
    async for url, session in _serve(HotlineInput(), FakeRasa()):
        auth = {"Authorization": f"Bearer {secret('HOTLINE_WEBHOOK_TOKEN')}"}
        body = {"call_id": "c1", "text": "你好", "agent_id": "a" * 200_000}
        status, answer = await _post(session, url, json=body, headers=auth)
        assert status == 422 and "agent_id" in answer["error"]
