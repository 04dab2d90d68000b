"""Shared fixtures: module-scoped TestClients over the sample catalog, and the running services
of the end-to-end tests (tests/e2e, tests/security), started once per session (app env only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from tests.e2e.services import Services


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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium under Playwright, one per page-test module (tests/utils/browser.py)."""
    import playwright.sync_api as playwright_api

    from tests.utils.browser import CHROMIUM, CHROMIUM_FLAGS

    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """The four services as real processes on test ports (tests/e2e/services.py)."""
    from tests.e2e.services import ROOT, Services

    assert (ROOT / "models" / "current.tar.gz").exists(), "run `make setup` first"
    running = Services(tmp_path_factory.mktemp("services"))
    try:
        running.start("knowledge", "bridge", "actions", "rasa")
        yield running
    finally:
        running.stop(*list(running.processes))
