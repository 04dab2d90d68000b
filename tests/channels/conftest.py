"""A real redis-server for the channel-state tests (skipped only where it is not installed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.utils.redis_server import redis_server


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url
