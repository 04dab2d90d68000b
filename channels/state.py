"""The state channels keep between requests (WeChat retries and buttons, voice confirmations, hotline
failure counts), behind one small interface with two implementations:

- `MemoryState`, the embedded default: one process (`make run`) needs nothing else;
- `RedisState`, when `CHANNEL_STATE_URL=redis://host:port/db` is set: every Rasa replica behind the
  balancer sees the same keys, so a sender that moves to another replica keeps its state.

Every key has a time to live: nothing a channel remembers outlives the conversation it belongs to.
The contract test (tests/channels/test_state.py) runs both implementations through the same checks.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

# keys of this application inside a shared Redis database
PREFIX = "zwdb:"
# a claimed message stays claimed this long without a sign of life from its owner (WeChat MsgId)
LEASE_SECONDS = 3.0


class ChannelState(Protocol):
    """Strings under string keys, each with a time to live in seconds."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl: float) -> None: ...

    async def add(self, key: str, value: str, ttl: float) -> bool:
        """Set only if absent; True when this call set it (one winner among replicas)."""
        ...

    async def pop(self, key: str) -> str | None:
        """Get and delete in one step."""
        ...

    async def incr(self, key: str, ttl: float) -> int:
        """Add one (from 0) and restart the time to live; the new count."""
        ...


class MemoryState:
    """In-process state for a single Rasa process."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, float]] = {}
        self._next_sweep = 0.0

    def _live(self, key: str) -> str | None:
        now = time.monotonic()
        if now >= self._next_sweep:  # forget expired keys now and then, not on every call
            self._items = {k: v for k, v in self._items.items() if v[1] > now}
            self._next_sweep = now + 10
        entry = self._items.get(key)
        if entry is None or entry[1] <= now:
            self._items.pop(key, None)
            return None
        return entry[0]

    async def get(self, key: str) -> str | None:
        return self._live(key)

    async def set(self, key: str, value: str, ttl: float) -> None:
        self._items[key] = (value, time.monotonic() + ttl)

    async def add(self, key: str, value: str, ttl: float) -> bool:
        if self._live(key) is not None:
            return False
        await self.set(key, value, ttl)
        return True

    async def pop(self, key: str) -> str | None:
        value = self._live(key)
        self._items.pop(key, None)
        return value

    async def incr(self, key: str, ttl: float) -> int:
        count = int(self._live(key) or 0) + 1
        await self.set(key, str(count), ttl)
        return count


class RedisState:
    """State in Redis (a single server or a primary; Redis Cluster is not needed for this)."""

    def __init__(self, url: str, socket_timeout: float = 2.0) -> None:
        self.url = url
        self.socket_timeout = socket_timeout
        self._client: Any = None

    @property
    def client(self) -> Any:
        # created on first use: the asyncio client belongs to the loop Sanic runs, not the import's
        if self._client is None:
            import redis.asyncio

            self._client = redis.asyncio.from_url(self.url, decode_responses=True, socket_timeout=self.socket_timeout)
        return self._client

    async def get(self, key: str) -> str | None:
        value: str | None = await self.client.get(PREFIX + key)
        return value

    async def set(self, key: str, value: str, ttl: float) -> None:
        await self.client.set(PREFIX + key, value, px=_ms(ttl))

    async def add(self, key: str, value: str, ttl: float) -> bool:
        return bool(await self.client.set(PREFIX + key, value, px=_ms(ttl), nx=True))

    async def pop(self, key: str) -> str | None:
        value: str | None = await self.client.getdel(PREFIX + key)
        return value

    async def incr(self, key: str, ttl: float) -> int:
        async with self.client.pipeline(transaction=True) as pipe:
            count, _ = await pipe.incr(PREFIX + key).pexpire(PREFIX + key, _ms(ttl)).execute()
        return int(count)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose() if hasattr(self._client, "aclose") else await self._client.close()
            self._client = None


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def open_state(url: str | None) -> ChannelState:
    """RedisState for a redis:// URL, else the in-process MemoryState."""
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return RedisState(url)
    if url:
        raise ValueError(f"CHANNEL_STATE_URL must be a redis:// URL, not {url.split(':')[0]}:…")
    return MemoryState()


def channel_state() -> ChannelState:
    """A channel's state store, chosen by CHANNEL_STATE_URL (in memory: one per channel, as before)."""
    return open_state(os.environ.get("CHANNEL_STATE_URL", ""))


async def claim(state: ChannelState, key: str, owner: str, wait: float) -> bool:
    """Claim a message for `owner` exactly once across replicas.

    True: process it (claimed now, or the previous owner's lease lapsed because it died).
    False: it was processed, or is still being processed within `wait` seconds, elsewhere."""
    deadline = time.monotonic() + wait
    while True:
        if await state.add(key, owner, LEASE_SECONDS):
            return True
        if await state.get(key) == "done" or time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.2)


async def held(state: ChannelState, key: str, owner: str, work: Awaitable[T], done_ttl: float) -> T:
    """Run `work` while renewing the claim's lease; then mark the message done for `done_ttl` seconds."""

    async def renew() -> None:
        while True:
            await asyncio.sleep(LEASE_SECONDS / 3)
            await state.set(key, owner, LEASE_SECONDS)

    renewer = asyncio.ensure_future(renew())
    try:
        return await work
    finally:
        renewer.cancel()
        await state.set(key, "done", done_ttl)
