"""The one way the actions call our services: a timeout on every call, and every failure turned
into ServiceUnavailable (or NotFound), which the actions answer politely."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp


class ServiceUnavailable(Exception):
    """The service did not answer in time, or answered with a server error."""


class NotFound(Exception):
    """The service says there is no such record."""


async def request_json(method: str, url: str, timeout: float, **kwargs: Any) -> Any:
    """One HTTP call returning its JSON body; 404 raises NotFound, other failures ServiceUnavailable."""
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
            async with session.request(method, url, **kwargs) as response:
                if response.status == 404:
                    raise NotFound(url)
                if response.status >= 400:
                    raise ServiceUnavailable(f"{method} {url}: HTTP {response.status}")
                return await response.json()
    # Python 3.10 (the bot env): asyncio.TimeoutError is not yet the builtin TimeoutError
    except (asyncio.TimeoutError, aiohttp.ClientError) as error:  # noqa: UP041
        raise ServiceUnavailable(f"{method} {url}: {error!r}") from error
