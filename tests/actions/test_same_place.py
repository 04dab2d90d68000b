"""A where-question answered for several candidates at once when they share their windows
(actions/matters.py, ActionAnswerMatter._same_place)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.matters import ActionAnswerMatter
from tests.actions.conftest import make_tracker

RECORDS: dict[str, dict[str, Any]] = {
    "issue": {"kind": "matter", "name": "普通护照签发", "location": {"hall": "west-hall", "windows": [1, 2]}},
    "reissue": {"kind": "matter", "name": "普通护照补发", "location": {"hall": "west-hall", "windows": [1, 2]}},
    "birth": {"kind": "matter", "name": "出生登记", "location": {"hall": "west-hall", "windows": [10, 11, 12]}},
    # a place record's "kind" is what it is (window, area), as the knowledge service serves it
    "crj-windows": {"kind": "window", "name": "出入境窗口", "hall": "west-hall", "windows": [1, 2, 3, 4]},
    "certificate-window": {"kind": "window", "name": "制证出证窗口", "hall": "east-hall", "windows": [47]},
}


class _Records:
    async def record(self, kind: str, record_id: str) -> dict[str, Any]:
        return RECORDS[record_id]


def _hits(*ids: str) -> list[dict[str, Any]]:
    return [{"kind": "place" if "window" in i else "matter", "id": i, "name": RECORDS[i]["name"]} for i in ids]


@pytest.mark.asyncio
async def test_candidates_at_the_same_windows_are_answered_together() -> None:
    dispatcher = CollectingDispatcher()
    client: Any = _Records()
    assert await ActionAnswerMatter._same_place(client, dispatcher, make_tracker("护照在哪办", "ask_location"),
                                                _hits("issue", "reissue")) == []
    assert "【普通护照签发】、【普通护照补发】都在西侧大厅1-2号窗口办理" in dispatcher.messages[0]["text"]


@pytest.mark.asyncio
async def test_the_place_that_holds_the_candidates_is_answered_and_led_to() -> None:
    # "社保在哪" on a robot: 社保窗口, which holds the windows of its matters, not the matters' list
    dispatcher = CollectingDispatcher()
    client: Any = _Records()
    events = await ActionAnswerMatter._same_place(
        client, dispatcher, make_tracker("护照在哪办", "ask_location"), _hits("issue", "crj-windows", "reissue")
    )
    assert events is not None
    assert [(e["name"], e["value"]) for e in events] == [("place_id", "crj-windows"), ("answered_element", "location")]
    assert dispatcher.messages[0]["text"].startswith("【出入境窗口】位于")


@pytest.mark.asyncio
async def test_a_place_elsewhere_among_the_candidates_needs_a_choice() -> None:
    # "领证的窗口在哪里": 制证出证窗口 (east hall) beside 出生登记 was answered as 出生登记's windows,
    # because the place records' own kind ("window") was read as not a place
    dispatcher = CollectingDispatcher()
    client: Any = _Records()
    tracker = make_tracker("领证的窗口在哪里", "ask_location")
    hits = _hits("certificate-window", "birth")
    assert await ActionAnswerMatter._same_place(client, dispatcher, tracker, hits) is None
    assert dispatcher.messages == []
