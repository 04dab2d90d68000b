"""The knowledge answers that the action tests replay still match the real service."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.actions.record_fixtures import FIXTURE, record


def _without_scores(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_scores(v) for k, v in value.items() if k not in ("score", "confidence", "margin")}
    if isinstance(value, list):
        return [_without_scores(v) for v in value]
    return value


def test_recorded_answers_match_the_service(knowledge_client: TestClient) -> None:
    recorded = json.loads(FIXTURE.read_text(encoding="utf-8"))
    live = record(knowledge_client)
    assert set(recorded) == set(live)
    for key in live:
        # scores may move in the last digits; records, order and decisions may not
        assert _without_scores(recorded[key]) == _without_scores(live[key]), (
            f"{key} changed: run `.venv-app/bin/python -m tests.actions.record_fixtures`"
        )
