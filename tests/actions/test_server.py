"""The action server's entry point (actions/server.py) on a real Sanic server: only requests
with the shared secret run actions, and a failure never echoes the tracker back."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from sanic import Sanic

from actions.server import create_secured_app
from tests.utils.sanic_server import serve_app

pytestmark = pytest.mark.asyncio
SECRET = "s3cret-for-tests"


@pytest_asyncio.fixture
async def base() -> AsyncIterator[str]:
    Sanic.test_mode = True  # lets several apps named "rasa_sdk" live in one test process
    async with serve_app(create_secured_app("actions", SECRET)) as url:
        yield url


async def test_only_the_secret_runs_actions(base: str) -> None:
    call = {"next_action": "action_handoff", "tracker": {"sender_id": "rest:x", "latest_message": {}}, "domain": {}}
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/health") as health:
            assert health.status == 200
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": SECRET}):
            async with session.post(f"{base}/webhook", json=call, headers=headers) as refused:
                assert refused.status == 401
            async with session.get(f"{base}/actions", headers=headers) as listing:
                assert listing.status == 401
        auth = {"Authorization": f"Bearer {SECRET}"}
        async with session.post(f"{base}/webhook", json=call, headers=auth) as ran:
            assert ran.status == 200 and (await ran.json())["responses"]


async def test_a_failing_action_does_not_echo_the_tracker(base: str) -> None:
    call = {"next_action": "action_handoff", "tracker": "身份证220102199003071234", "domain": {}}
    async with aiohttp.ClientSession() as session:
        auth = {"Authorization": f"Bearer {SECRET}"}
        async with session.post(f"{base}/webhook", json=call, headers=auth) as failed:
            assert failed.status == 500
            # rasa_sdk's own handler answered {"error": …, "request_body": <the whole call>}
            assert await failed.json() == {"error": "the action failed"}
