"""A loopback KNOWLEDGE_PUBLIC_URL while serving the hall network is warned about, in the log and on /healthz."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from knowledge.settings import Settings, get_settings


@pytest.mark.parametrize(
    ("host", "public_url", "warned"),
    [
        ("0.0.0.0", "http://127.0.0.1:8000", True),
        ("0.0.0.0", "http://localhost:8000", True),
        ("10.0.0.5", "http://[::1]:8000", True),
        ("::", "http://127.0.0.1:8000", True),
        ("127.0.0.1", "http://127.0.0.1:8000", False),  # a single-machine demo: nothing to warn about
        ("localhost", "http://localhost:8000", False),
        ("0.0.0.0", "http://10.0.0.5:8000", False),
        ("0.0.0.0", "https://zwfw.example.gov.cn", False),
    ],
)
def test_warning_only_when_phones_could_not_reach_the_qr_link(host: str, public_url: str, warned: bool) -> None:
    warning = Settings(HOST=host, public_url=public_url).public_url_warning()
    assert bool(warning) == warned
    if warned:
        assert "KNOWLEDGE_PUBLIC_URL" in warning and public_url in warning


@pytest.fixture
def network_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.delenv("KNOWLEDGE_PUBLIC_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_service_started_for_the_network_says_so_in_log_and_healthz(
    network_settings: None, caplog: pytest.LogCaptureFixture
) -> None:
    from knowledge.main import app

    with caplog.at_level(logging.WARNING, logger="knowledge"), TestClient(app) as client:
        health = client.get("/healthz").json()
    assert len(health["warnings"]) == 1 and "http://127.0.0.1:8000" in health["warnings"][0]
    assert any("KNOWLEDGE_PUBLIC_URL" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
