"""channels/lock_store.py against a real redis-server: the conversation lock of a Rasa cluster.

Two store objects on one Redis stand for two Rasa replicas; a real process killed with SIGKILL
stands for a replica that dies in the middle of a turn."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from channels.lock_store import RedisConversationLockStore

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def replicas(redis_url: str) -> AsyncIterator[tuple[RedisConversationLockStore, RedisConversationLockStore]]:
    first, second = (RedisConversationLockStore(url=redis_url, ttl=0.6, max_wait=3) for _ in range(2))
    await first.client.flushdb()
    yield first, second
    for store in (first, second):
        await store.close()


async def test_two_replicas_never_run_one_conversation_at_once(
    replicas: tuple[RedisConversationLockStore, RedisConversationLockStore],
) -> None:
    inside, most_inside, order = [0], [0], []

    async def turn(store: RedisConversationLockStore, number: int) -> None:
        async with store.lock("rest:o-1"):
            inside[0] += 1
            most_inside[0] = max(most_inside[0], inside[0])
            await asyncio.sleep(0.02)
            order.append(number)
            inside[0] -= 1

    await asyncio.gather(*(turn(replicas[i % 2], i) for i in range(20)))
    assert most_inside[0] == 1
    assert sorted(order) == list(range(20))


async def test_other_conversations_do_not_wait(
    replicas: tuple[RedisConversationLockStore, RedisConversationLockStore],
) -> None:
    one, other = replicas
    async with one.lock("rest:o-1"):
        started = time.monotonic()
        async with other.lock("rest:o-2"):
            assert time.monotonic() - started < 0.5


async def test_a_slow_turn_keeps_its_lock_past_the_ttl(
    replicas: tuple[RedisConversationLockStore, RedisConversationLockStore],
) -> None:
    one, other = replicas
    other.max_wait = 0.5
    async with one.lock("rest:o-1"):
        await asyncio.sleep(1.5)  # 2.5 times the TTL: renewed, not lapsed
        with pytest.raises(LockError):
            async with other.lock("rest:o-1"):
                pass


async def test_a_turn_that_blocks_the_event_loop_keeps_its_lock(
    replicas: tuple[RedisConversationLockStore, RedisConversationLockStore],
) -> None:
    # Rasa runs NLU, policies and the tracker store on its loop: it stalls on a busy machine
    one, other = replicas
    other.max_wait = 0.3
    async with one.lock("rest:o-1"):
        time.sleep(1.5)  # 2.5 times the TTL without giving the loop back
        with pytest.raises(LockError):
            async with other.lock("rest:o-1"):
                pass


async def test_a_killed_replicas_lock_lapses_within_the_ttl(redis_url: str) -> None:
    # a real process takes the lock and is killed with SIGKILL in the middle of its turn
    holder = textwrap.dedent(
        f"""
        import asyncio
        from channels.lock_store import RedisConversationLockStore
        async def main():
            store = RedisConversationLockStore(url="{redis_url}", ttl=0.6)
            async with store.lock("rest:o-dead"):
                print("locked", flush=True)
                await asyncio.sleep(60)
        asyncio.run(main())
        """
    )
    process = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        process.kill()
        process.wait(timeout=10)
        survivor = RedisConversationLockStore(url=redis_url, ttl=0.6, max_wait=5)
        started = time.monotonic()
        async with survivor.lock("rest:o-dead"):
            waited = time.monotonic() - started
        await survivor.close()
        assert waited < 1.5, waited
    finally:
        process.kill()


async def test_a_waiter_gives_up_with_a_lock_error_instead_of_hanging(
    replicas: tuple[RedisConversationLockStore, RedisConversationLockStore],
    caplog: pytest.LogCaptureFixture,
) -> None:
    one, other = replicas
    other.max_wait = 0.3
    openid = "wechat:oAbCdEfGhIjKlMnOpQrStUvWx"
    async with one.lock(openid):
        started = time.monotonic()
        with pytest.raises(LockError) as refused:
            async with other.lock(openid):
                pass
        assert time.monotonic() - started < 2
    # the error (which the channels log) names the conversation without its whole openid
    assert "wechat:oAbCdE***" in str(refused.value) and openid not in str(refused.value)
    assert openid not in caplog.text


async def test_rasa_builds_it_from_the_endpoints_file(redis_url: str) -> None:
    host_port, db = redis_url.removeprefix("redis://").split("/")
    host, port = host_port.split(":")
    config = EndpointConfig(
        url=host, type="channels.lock_store.RedisConversationLockStore", port=port, db=db, key_prefix="zwdb"
    )
    store = LockStore.create(config)
    assert isinstance(store, RedisConversationLockStore)
    assert store.url == redis_url
    async with store.lock("rest:o-3"):
        assert await store.client.exists("zwdb:conversation-lock:rest:o-3")
    assert not await store.client.exists("zwdb:conversation-lock:rest:o-3")
    await store.close()
