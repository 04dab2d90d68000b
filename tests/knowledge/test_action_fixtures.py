"""The knowledge answers that the action tests replay still match the real service."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from knowledge.retrieval.engine import ASK, CONFIDENT
from tests.actions.record_fixtures import FIXTURE, record

# Scores and confidences differ in their last digits across CPUs and thread counts. What the
# action tests rely on is asserted wherever the recording is clear by more than this: the first
# record, the decision, and the order of records whose scores differ clearly.
CLEAR = 0.02
RERECORD = "run `.venv-app/bin/python -m tests.actions.record_fixtures`"


def _without_scores(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_scores(v) for k, v in value.items() if k not in ("score", "confidence", "margin")}
    if isinstance(value, list):
        return [_without_scores(v) for v in value]
    return value


def _check_search(key: str, recorded: dict[str, Any], live: dict[str, Any]) -> None:
    confidence = recorded["confidence"]
    assert abs(live["confidence"] - confidence) <= CLEAR, f"{key}: confidence moved: {RERECORD}"
    if min(abs(confidence - CONFIDENT), abs(confidence - ASK)) > CLEAR:
        assert live["decision"] == recorded["decision"], f"{key}: decision changed: {RERECORD}"
    was = [((r["kind"], r["id"]), r["score"]) for r in recorded["results"]]
    now = {(r["kind"], r["id"]): r["score"] for r in live["results"]}
    assert len(now) == len(was), f"{key}: number of results changed: {RERECORD}"
    if len(was) == 1 or was[0][1] - was[1][1] > CLEAR:
        first = live["results"][0]
        assert (first["kind"], first["id"]) == was[0][0], f"{key}: first record changed: {RERECORD}"
    last_score = was[-1][1]
    for i, (record_key, score) in enumerate(was):
        if score - last_score > CLEAR:  # clearly above the cut: it cannot have dropped out
            assert record_key in now, f"{key}: {record_key} dropped out: {RERECORD}"
        if record_key not in now:
            continue
        assert abs(now[record_key] - score) <= CLEAR, f"{key}: score of {record_key} moved: {RERECORD}"
        for other, other_score in was[i + 1 :]:
            if score - other_score > CLEAR and other in now:
                assert now[record_key] > now[other], f"{key}: {record_key} fell below {other}: {RERECORD}"


def test_recorded_answers_match_the_service(knowledge_client: TestClient) -> None:
    recorded = json.loads(FIXTURE.read_text(encoding="utf-8"))
    live = record(knowledge_client)
    assert set(recorded) == set(live)
    for key in live:
        if key.startswith("search:"):
            _check_search(key, recorded[key], live[key])
        else:  # records and policy matches carry no float noise: all of it must match
            assert _without_scores(recorded[key]) == _without_scores(live[key]), f"{key} changed: {RERECORD}"
