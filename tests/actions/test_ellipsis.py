"""Elliptical questions ("那行驶证呢"): the same question about a new topic (actions/matters.py)."""

from __future__ import annotations

from typing import Any

import pytest

from actions.clients.knowledge import NotFound
from actions.matters import carried_query, previous_intent
from tests.actions.conftest import make_tracker


class _Records:
    """The knowledge client's record lookup, which is all the carried query reads."""

    def __init__(self, records: dict[str, dict[str, Any]]) -> None:
        self.records = records

    async def record(self, kind: str, record_id: str) -> dict[str, Any]:
        if record_id not in self.records:
            raise NotFound(record_id)
        return self.records[record_id]


@pytest.mark.asyncio
async def test_the_search_carries_the_action_of_the_matter_in_context() -> None:
    licence = {"expansions": {"object": "机动车驾驶证", "action": "补领"}}
    client: Any = _Records({"m1": licence, "m2": {"expansions": None}})
    assert await carried_query(client, "行驶证", "m1") == "行驶证补领"
    assert await carried_query(client, "行驶证", "m2") == "行驶证"  # the service runs without the lexicon
    assert await carried_query(client, "行驶证", None) == "行驶证"
    assert await carried_query(client, "行驶证", "gone") == "行驶证"


def test_the_previous_question_is_the_user_message_before_the_latest() -> None:
    tracker = make_tracker("那行驶证呢", "ask_matter")
    assert previous_intent(tracker) is None  # nothing asked before
    for text, intent in (("驾照丢了怎么补", "ask_process"), ("那行驶证呢", "ask_matter")):
        tracker.events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}})
    assert previous_intent(tracker) == "ask_process"
    # a chain of elliptical questions keeps asking what the last full question asked
    tracker.events.append({"event": "user", "text": "那护照呢", "parse_data": {"intent": {"name": "ask_matter"}}})
    assert previous_intent(tracker) == "ask_process"
