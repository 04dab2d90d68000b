"""The conversation lock of a Rasa cluster: one Redis key per conversation, taken in one step.

Rasa 3.6's RedisLockStore reads its ticket queue, changes it and writes it back in three calls,
so two replicas can overwrite each other's tickets (RasaHQ/rasa #11256, #11428, #9213; the fix
went to Rasa Pro only), and a turn whose ticket was lost waits for it forever (#6226, #8756).
This store keeps Rasa's contract (`async with store.lock(conversation_id)`) with other means:

- taking the lock is one `SET key token NX PX ttl`; letting go is a compare-and-delete script,
  so a replica only ever frees its own lock;
- the holder renews the time to live while its turn runs, so a slow turn on a busy machine
  keeps its lock, and a replica killed in the middle of a turn frees it within one `ttl`;
- a waiter gives up after `max_wait` seconds with Rasa's LockError (the channel answers with
  an error the client can retry) instead of hanging.

Waiters poll; one user's messages rarely overlap, so first come is first served in practice.
`endpoints-cluster.yml` selects it; a single `make run` keeps Rasa's in-memory lock store.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

# frees the key only while it still holds this holder's token
RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
# extends the key's life while it holds this holder's token (1), takes it back if it lapsed with
# nobody else taking it (2: the holder's event loop was too busy to renew in time), else 0
RENEW = """
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
if not holder then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
return 0
"""


class RedisConversationLockStore(LockStore):
    """One Redis key per conversation; see the module docstring for why not Rasa's own."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        *,
        url: str | None = None,
        ttl: float = 10.0,
        max_wait: float = 40.0,
        poll_interval: float = 0.05,
    ) -> None:
        kwargs: dict[str, Any] = dict(endpoint_config.kwargs) if endpoint_config else {}
        if url is None:
            host = endpoint_config.url if endpoint_config and endpoint_config.url else "127.0.0.1"
            url = f"redis://{host}:{int(kwargs.get('port', 6379))}/{int(kwargs.get('db', 1))}"
        self.url = url
        self.prefix = f"{kwargs.get('key_prefix', 'zwdb')}:conversation-lock:"
        self.ttl = float(kwargs.get("ttl", ttl))
        self.max_wait = float(kwargs.get("max_wait", max_wait))
        self.poll_interval = float(kwargs.get("poll_interval", poll_interval))
        self.socket_timeout = float(kwargs.get("socket_timeout", 2.0))
        self._client: Any = None
        super().__init__()

    @property
    def client(self) -> Any:
        # created on first use: the asyncio client belongs to the loop Sanic runs, not the import's
        if self._client is None:
            import redis.asyncio

            self._client = redis.asyncio.from_url(self.url, decode_responses=True, socket_timeout=self.socket_timeout)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = 0,  # Rasa's ticket lifetime; the renewed `ttl` replaces it
        wait_time_in_seconds: float = 0,  # Rasa's poll interval; `poll_interval` replaces it
    ) -> AsyncGenerator[TicketLock, None]:
        key, token = self.prefix + conversation_id, uuid.uuid4().hex
        await self._acquire(key, token, conversation_id)
        renewer = asyncio.ensure_future(self._renew(key, token, conversation_id))
        try:
            yield TicketLock(conversation_id)
        finally:
            renewer.cancel()
            try:
                await self.client.eval(RELEASE, 1, key, token)
            except Exception:  # the turn is done; an unreleased key lapses within `ttl`
                logger.exception("could not release the lock of conversation %s", conversation_id)

    async def _acquire(self, key: str, token: str, conversation_id: str) -> None:
        started = time.monotonic()
        while not await self.client.set(key, token, nx=True, px=_ms(self.ttl)):
            waited = time.monotonic() - started
            if waited >= self.max_wait:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}' in {waited:.0f} s.")
            await asyncio.sleep(self.poll_interval)
        waited = time.monotonic() - started
        if waited > 1:  # a silent wait is what made Rasa's hangs hard to find (#6226)
            logger.warning("waited %.1f s for the lock of conversation %s", waited, conversation_id)

    async def _renew(self, key: str, token: str, conversation_id: str) -> None:
        while True:
            # often: a busy event loop delays each beat, and the key lives only `ttl` past the last one
            await asyncio.sleep(self.ttl / 10)
            try:
                renewed = await self.client.eval(RENEW, 1, key, token, _ms(self.ttl))
            except Exception:  # Redis slow or away for a moment: try again at the next beat
                logger.exception("could not renew the lock of conversation %s", conversation_id)
                continue
            if renewed == 2:
                logger.warning("the lock of conversation %s lapsed while its turn ran; taken back", conversation_id)
            elif not renewed:
                logger.error("the lock of conversation %s lapsed and another turn holds it", conversation_id)
                return


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))
