"""The contract of channels/state.py, run against the in-process store and a real redis-server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from channels.state import ChannelState, MemoryState, RedisState, claim, held, open_state

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture(params=["memory", "redis"])
async def stores(request: pytest.FixtureRequest) -> AsyncIterator[tuple[ChannelState, ChannelState]]:
    """Two handles on one store, as two Rasa replicas see it (in memory: one process, one store)."""
    if request.param == "memory":
        memory = MemoryState()
        yield memory, memory
        return
    url = request.getfixturevalue("redis_url")
    first, second = RedisState(url), RedisState(url)
    await first.client.flushdb()
    yield first, second
    await first.close()
    await second.close()


async def test_set_get_pop_and_expiry(stores: tuple[ChannelState, ChannelState]) -> None:
    one, other = stores
    assert await one.get("k") is None
    await one.set("k", "公积金怎么提取", ttl=0.3)
    assert await other.get("k") == "公积金怎么提取"
    await asyncio.sleep(0.4)
    assert await other.get("k") is None
    await one.set("k", "v", ttl=30)
    assert await other.pop("k") == "v"
    assert await one.pop("k") is None


async def test_add_has_one_winner_until_the_key_expires(stores: tuple[ChannelState, ChannelState]) -> None:
    one, other = stores
    results = await asyncio.gather(*(s.add("msg", f"owner{i}", ttl=0.3) for i, s in enumerate([one, other] * 5)))
    assert results.count(True) == 1
    assert await one.get("msg") == f"owner{results.index(True)}"
    await asyncio.sleep(0.4)
    assert await other.add("msg", "later", ttl=30)


async def test_incr_counts_from_zero_and_restarts_the_ttl(stores: tuple[ChannelState, ChannelState]) -> None:
    one, other = stores
    counts = await asyncio.gather(*(s.incr("calls", ttl=0.5) for s in [one, other] * 3))
    assert sorted(counts) == [1, 2, 3, 4, 5, 6]
    await asyncio.sleep(0.3)
    assert await one.incr("calls", ttl=0.5) == 7  # the TTL restarted with each count
    await asyncio.sleep(0.6)
    assert await other.get("calls") is None


async def test_a_message_is_claimed_once_and_then_reported_done(stores: tuple[ChannelState, ChannelState]) -> None:
    one, other = stores
    assert await claim(one, "wechat:msg:1", "replica-a", wait=0)

    async def turn() -> str:
        await asyncio.sleep(1.5)  # longer than a third of the lease: it must be renewed
        return "答复"

    work = asyncio.ensure_future(held(one, "wechat:msg:1", "replica-a", turn(), done_ttl=30))
    # the retry on another replica waits for the owner and learns that the message was answered
    assert not await claim(other, "wechat:msg:1", "replica-b", wait=5)
    assert await work == "答复"
    assert await one.get("wechat:msg:1") == "done"


async def test_a_dead_owners_claim_lapses_so_another_replica_answers(
    stores: tuple[ChannelState, ChannelState],
) -> None:
    one, other = stores
    assert await claim(one, "wechat:msg:2", "replica-a", wait=0)  # then replica-a dies: no renewal
    assert await claim(other, "wechat:msg:2", "replica-b", wait=5)
    assert await other.get("wechat:msg:2") == "replica-b"


async def test_the_store_is_chosen_by_url() -> None:
    assert isinstance(open_state(""), MemoryState)
    assert isinstance(open_state("redis://127.0.0.1:6379/0"), RedisState)
    with pytest.raises(ValueError, match="redis://"):
        open_state("memcached://127.0.0.1")


async def test_redis_state_fails_loudly_when_redis_is_down(tmp_path: Path) -> None:
    # a port nothing listens on: the channel must see an error, never silently forget a claim
    state = RedisState("redis://127.0.0.1:1/0", socket_timeout=0.5)
    with pytest.raises(Exception, match="(?i)connect"):
        await state.add("k", "v", ttl=1)
