"""Action tests run in the bot environment without live services: trackers come from a JSON
fixture, and the knowledge service's answers from recorded responses of the real service."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.clients.knowledge import KnowledgeClient, NotFound, ServiceUnavailable
from actions.settings import get_settings

FIXTURES = Path(__file__).parent / "fixtures"
RECORDED: dict[str, Any] = json.loads((FIXTURES / "knowledge.json").read_text(encoding="utf-8"))


def make_tracker(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    state = json.loads((FIXTURES / "tracker.json").read_text(encoding="utf-8"))
    state["latest_message"].update(
        text=text,
        intent={"name": intent, "confidence": 0.99},
        intent_ranking=[{"name": intent, "confidence": 0.99}],
        entities=entities or [],
        metadata=metadata or {},
    )
    state["slots"].update(slots or {})
    return Tracker.from_dict(state)


@pytest.fixture
def recorded_knowledge(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Serve the recorded knowledge-service responses; returns the calls made."""
    calls: list[tuple[str, str]] = []

    async def fake_request(self: KnowledgeClient, method: str, path: str, **kwargs: Any) -> Any:
        params = kwargs.get("params") or {}
        calls.append((method, path))
        if path == "/v1/search":
            key = f"search:{params['q']}:{params.get('kind')}"
        elif path == "/v1/policies/match":
            key = f"match:{kwargs['json'].get('entity_type')}"
        else:
            key = path
        if key not in RECORDED:
            raise NotFound(key)
        return copy.deepcopy(RECORDED[key])

    monkeypatch.setattr(KnowledgeClient, "_request", fake_request)
    return calls


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Each test reads the environment it sets: the process-wide Settings is cached."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def knowledge_down(monkeypatch: pytest.MonkeyPatch) -> None:
    async def refuse(self: KnowledgeClient, method: str, path: str, **kwargs: Any) -> Any:
        raise ServiceUnavailable("connection refused")

    monkeypatch.setattr(KnowledgeClient, "_request", refuse)


@pytest.fixture(autouse=True)
def actions_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every action test writes tickets, feedback and the question log to its own database."""
    path = tmp_path / "actions.db"
    monkeypatch.setenv("ACTIONS_DB", str(path))
    return path
