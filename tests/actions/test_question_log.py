"""The question log that feeds the staff console: every decision, every 👎, every handoff."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.knowledge import KnowledgeClient
from actions.resolve import resolve
from actions.service import ActionHandoff, ActionStoreFeedback
from tests.actions.conftest import make_tracker

pytestmark = pytest.mark.asyncio


def _log(path: Path) -> list[tuple[Any, ...]]:
    return sqlite3.connect(path).execute(
        "SELECT channel, text, kind, outcome, top_id FROM question_log ORDER BY id"
    ).fetchall()


async def test_every_decision_is_logged_with_personal_numbers_masked(
    actions_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decisions = iter([
        {"decision": "none", "results": [], "confidence": 0.1},
        {"decision": "answer", "results": [{"kind": "matter", "id": "hz-id-card-renewal"}], "confidence": 0.9},
    ])

    async def search(self: KnowledgeClient, query: str, kind: str | None = None, k: int = 3) -> dict[str, Any]:
        return next(decisions)

    monkeypatch.setattr(KnowledgeClient, "search", search)
    first = await resolve(KnowledgeClient(), "我手机13912345678丢了怎么挂失电话卡", kind=None)
    await resolve(KnowledgeClient(), "身份证过期了", kind="matter")
    assert first.outcome == "none"
    assert _log(actions_db) == [
        ("", "我手机139****5678丢了怎么挂失电话卡", None, "none", None),
        ("", "身份证过期了", "matter", "answer", "hz-id-card-renewal"),
    ]


async def test_a_thumbs_down_queues_the_question_it_was_about(actions_db: Path) -> None:
    tracker = make_tracker("没用", "feedback_bad", metadata={"channel": "webchat"})
    tracker.events = [
        {"event": "user", "text": "公积金怎么提取到外地"},
        {"event": "bot", "text": "……"},
        {"event": "user", "text": "没用"},
    ]
    await ActionStoreFeedback().run(CollectingDispatcher(), tracker, {})
    assert _log(actions_db) == [("webchat", "公积金怎么提取到外地", None, "disliked", None)]


async def test_a_thumbs_up_queues_nothing(actions_db: Path) -> None:
    tracker = make_tracker("满意", "feedback_good")
    tracker.events = [{"event": "user", "text": "公积金怎么提取"}, {"event": "user", "text": "满意"}]
    await ActionStoreFeedback().run(CollectingDispatcher(), tracker, {})
    assert _log(actions_db) == []


async def test_a_handoff_is_logged(actions_db: Path) -> None:
    await ActionHandoff().run(CollectingDispatcher(), make_tracker("转人工", "request_human"), {})
    assert [row[3] for row in _log(actions_db)] == ["handoff"]
