"""Decide which catalog record a message means: answer, ask which one, or admit not knowing."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker

from actions import store
from actions.clients.knowledge import KnowledgeClient

VOICE_CHANNELS = {"robot", "hotline"}
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Resolution:
    outcome: str  # "answer" | "ask" | "none"
    hits: list[dict[str, Any]]
    confidence: float


async def resolve(client: KnowledgeClient, text: str, kind: str | None) -> Resolution:
    """The knowledge service decides on its calibrated confidence (docs/retrieval.md)."""
    result = await client.search(text, kind=kind, k=3)
    resolution = Resolution(result["decision"], result["results"], float(result["confidence"]))
    log_resolution(text, kind, resolution)
    return resolution


def log_resolution(text: str, kind: str | None, resolution: Resolution) -> None:
    """Keep the decision for the staff console's question queue and dashboard; never fails the turn."""
    top = resolution.hits[0]["id"] if resolution.hits else None
    try:
        store.log_question(text, kind, resolution.outcome, top, resolution.confidence)
    except sqlite3.Error as error:
        logger.warning("question log not written: %s", error)


def channel_of(tracker: Tracker) -> str:
    metadata = tracker.latest_message.get("metadata") or {}
    return str(metadata.get("channel") or tracker.get_latest_input_channel() or "rest")


def is_voice(tracker: Tracker) -> bool:
    return channel_of(tracker) in VOICE_CHANNELS


def choice_prompt(hits: list[dict[str, Any]], voice: bool) -> tuple[str, list[dict[str, str]]]:
    """The question "您是要办 A 还是 B?" as text with buttons, or as a short spoken choice."""
    options = hits[:3] if not voice else hits[:2]
    names = [f"【{h['name']}】" for h in options]
    if voice:
        ordinals = ["第一个", "第二个"]
        spoken = "，还是".join(names)
        return f"您是要问{spoken}？请说{'或'.join(ordinals[: len(options)])}。", []
    buttons = [
        {"title": h["name"], "payload": f'/choose_option{{"choice": "{h["kind"]}:{h["id"]}"}}'} for h in options
    ]
    return "您问的是哪一项？请选择：" + "、".join(names), buttons


ORDINALS = {"一": 0, "1": 0, "二": 1, "两": 1, "2": 1, "三": 2, "3": 2}


def pick_candidate(text: str, candidates: list[str]) -> str | None:
    """Which of the offered candidates ("kind:id:name") a free answer picks, if any."""
    if not candidates:
        return None
    for candidate in candidates:
        name = candidate.split(":", 2)[2]
        if name and name in text:
            return candidate
    if any(word in text for word in ("最后", "后面那个", "后一个")):
        return candidates[-1]
    if any(word in text for word in ("前面那个", "前一个", "头一个")):
        return candidates[0]
    for char in text:
        if char in ORDINALS and ORDINALS[char] < len(candidates):
            return candidates[ORDINALS[char]]
    return None
