"""A knowledge replica refuses to start on a catalog other than the one its cluster expects."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from catalog.loader import load_catalog
from knowledge.main import CatalogMismatch, app, check_catalog_hash
from knowledge.settings import get_settings


@pytest.fixture
def expected_hash(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("KNOWLEDGE_EXPECTED_CATALOG_HASH", "0000000000000000")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_replica_with_another_catalog_refuses_to_start(expected_hash: None) -> None:
    with pytest.raises(CatalogMismatch, match="0000000000000000"):
        with TestClient(app):
            pass


def test_the_expected_hash_or_none_lets_it_start() -> None:
    actual = load_catalog().content_hash
    check_catalog_hash(actual, actual)
    check_catalog_hash(actual, "")
    with pytest.raises(CatalogMismatch):
        check_catalog_hash(actual, actual[::-1])
