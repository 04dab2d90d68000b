"""The conversation lock of a Rasa cluster: one Redis key per conversation, taken in one step.

Rasa 3.6's RedisLockStore reads its ticket queue, changes it and writes it back in three calls,
so two replicas can overwrite each other's tickets (RasaHQ/rasa #11256, #11428, #9213; the fix
went to Rasa Pro only), and a turn whose ticket was lost waits for it silently (#6226, #8756).
This store keeps Rasa's contract (`async with store.lock(conversation_id)`) with other means:

- taking the lock is one `SET key token NX PX ttl`; letting go is a compare-and-delete script,
  so a replica only ever frees its own lock;
- while a turn runs, a thread renews its key every `ttl`/10. A thread, because Rasa runs its
  NLU, policies and tracker store on its event loop, which stalled for seconds on a busy test
  machine: renewals on the loop let live turns' keys lapse in the failover test.
  A replica killed in the middle of a turn stops renewing, so its lock lapses within `ttl`;
- a waiter gives up after `max_wait` seconds with Rasa's LockError (the channel answers with
  the busy message and the ways forward) instead of hanging.

Waiters poll; one user's messages rarely overlap, so first come is first served in practice.
`endpoints-cluster.yml` selects it; a single `make run` keeps Rasa's in-memory lock store.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from channels.wechat_api import mask_openid

logger = logging.getLogger(__name__)

# frees the key only while it still holds this holder's token
RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
# extends the key's life only while it still holds this holder's token
RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
# a turn that held its conversation this long is worth a line in the log
SLOW_TURN_SECONDS = 30
HOLDER = f"{socket.gethostname()}:{os.getpid()}"


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
        self._renewer = _Renewer(url, self.ttl, self.socket_timeout)
        super().__init__()

    @property
    def client(self) -> Any:
        # created on first use: the asyncio client belongs to the loop Sanic runs, not the import's
        if self._client is None:
            import redis.asyncio

            self._client = redis.asyncio.from_url(self.url, decode_responses=True, socket_timeout=self.socket_timeout)
        return self._client

    async def close(self) -> None:
        self._renewer.stop()
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
        # the token names its process, so a long wait can say who holds the conversation
        key, token = self.prefix + conversation_id, f"{HOLDER}:{uuid.uuid4().hex[:12]}"
        await self._acquire(key, token, conversation_id)
        self._renewer.hold(key, token)
        held_since = time.monotonic()
        try:
            yield TicketLock(conversation_id)
        finally:
            self._renewer.let_go(key)
            held = time.monotonic() - held_since
            if held > SLOW_TURN_SECONDS:
                logger.warning("conversation %s held its lock for %.0f s", _shown(conversation_id), held)
            try:
                await self.client.eval(RELEASE, 1, key, token)
            except Exception:  # the turn is done; an unreleased key lapses within `ttl`
                logger.exception("could not release the lock of conversation %s", _shown(conversation_id))

    async def _acquire(self, key: str, token: str, conversation_id: str) -> None:
        started, busy = time.monotonic(), False
        while not await self.client.set(key, token, nx=True, px=_ms(self.ttl)):
            busy, waited = True, time.monotonic() - started
            if waited >= self.max_wait:
                holder = await self.client.get(key)
                raise LockError(
                    f"Could not acquire lock for conversation_id '{_shown(conversation_id)}' "
                    f"in {waited:.0f} s (held by {holder})."
                )
            await asyncio.sleep(self.poll_interval)
        waited = time.monotonic() - started
        if busy and waited > 1:  # a silent wait is what made Rasa's hangs hard to find (#6226)
            logger.warning("waited %.1f s for the lock of conversation %s", waited, _shown(conversation_id))


class _Renewer:
    """A daemon thread that keeps this process's held keys alive, whatever the event loop does."""

    def __init__(self, url: str, ttl: float, socket_timeout: float) -> None:
        self.url, self.ttl, self.socket_timeout = url, ttl, socket_timeout
        self._held: dict[str, str] = {}
        self._guard = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def hold(self, key: str, token: str) -> None:
        with self._guard:
            self._held[key] = token
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="conversation-lock-renewer", daemon=True)
                self._thread.start()

    def let_go(self, key: str) -> None:
        with self._guard:
            self._held.pop(key, None)

    def stop(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, decode_responses=True, socket_timeout=self.socket_timeout)
        while not self._stopped.wait(self.ttl / 10):
            with self._guard:
                held = list(self._held.items())
            for key, token in held:
                try:
                    renewed = client.eval(RENEW, 1, key, token, _ms(self.ttl))
                except Exception:  # Redis slow or away for a moment: try again at the next beat
                    logger.exception("could not renew the conversation lock %s", _shown(key))
                    continue
                with self._guard:
                    still_held = self._held.get(key) == token
                if not renewed and still_held:
                    logger.error("the conversation lock %s lapsed while its turn ran", _shown(key))
        client.close()


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def _shown(conversation: str) -> str:
    """A conversation id for the log: the channel and a few characters, not a WeChat openid
    or any other identifier whole (docs/security.md)."""
    channel, _, rest = conversation.rpartition(":")
    return f"{channel}:{mask_openid(rest)}" if channel else mask_openid(rest)
