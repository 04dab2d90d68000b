"""Shared fixtures: module-scoped TestClients over the sample catalog (app env only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def knowledge_client() -> Iterator[TestClient]:
    from fastapi.testclient import TestClient

    from knowledge.main import app

    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def bridge_client() -> Iterator[TestClient]:
    from fastapi.testclient import TestClient

    from robot_bridge.main import app

    with TestClient(app) as client:
        yield client
