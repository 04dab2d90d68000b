"""One set of running services for the end-to-end tests of a session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.services import ROOT, Services


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    assert (ROOT / "models" / "current.tar.gz").exists(), "run `make setup` first"
    running = Services(Path(tmp_path_factory.mktemp("services")))
    try:
        running.start("knowledge", "bridge", "actions", "rasa")
        yield running
    finally:
        running.stop(*list(running.processes))
