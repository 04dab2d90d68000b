"""What the two voice channels (greeter robots, hotline IVR) share: reading the ASR input, picking
the hypothesis the assistant understands best, and confirming a doubtful one before acting on it."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from actions import replies
from channels.rest import BadRequest
from channels.state import ChannelState, channel_state

MAX_TEXT = 500
MAX_HYPOTHESES = 10
# Below this ASR confidence the channel repeats what it heard and waits for 是/不是.
CONFIRM_BELOW = float(os.environ.get("ASR_CONFIRM_BELOW", "0.6"))
PENDING_SECONDS = 60.0
# Intents that act on nothing by themselves: confirming "是" or "谢谢" would only annoy.
NO_CONFIRMATION = {"affirm", "deny", "greet", "goodbye", "thanks", "choose_option", "inform"}
NOT_UNDERSTOOD = {"nlu_fallback", "out_of_scope"}

Parse = Callable[[str], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Hypothesis:
    text: str
    confidence: float | None = None


def _confidence(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise BadRequest(f"{where} must be a number between 0 and 1")
    return float(value)


def read_hypotheses(body: dict[str, Any]) -> list[Hypothesis]:
    """The ASR hypotheses of one request, best first as the recogniser ranked them: `text` with
    `asr_confidence`, then the `nbest` list. Raises BadRequest for malformed input."""
    found: list[Hypothesis] = []
    text = body.get("text")
    if text is not None and not isinstance(text, str):
        raise BadRequest("text must be a string")
    if text and text.strip():
        found.append(Hypothesis(text.strip(), _confidence(body.get("asr_confidence"), "asr_confidence")))
    nbest = body.get("nbest")
    if nbest is not None:
        if not isinstance(nbest, list) or len(nbest) > MAX_HYPOTHESES:
            raise BadRequest(f"nbest must be a list of at most {MAX_HYPOTHESES} hypotheses")
        for number, item in enumerate(nbest, 1):
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise BadRequest(f"nbest[{number}] must be an object with a text")
            confidence = _confidence(item.get("confidence"), f"nbest[{number}].confidence")
            if item["text"].strip() and item["text"].strip() not in {h.text for h in found}:
                found.append(Hypothesis(item["text"].strip(), confidence))
    for hypothesis in found:
        if len(hypothesis.text) > MAX_TEXT:
            raise BadRequest(f"text longer than {MAX_TEXT} characters")
    return found


def understanding(parsed: dict[str, Any]) -> float:
    """How well the NLU understood a text: its intent confidence, nothing for a fallback, and a
    bonus for naming a catalog record (lookup entities only match real names and aliases)."""
    intent = parsed.get("intent") or {}
    if intent.get("name") in NOT_UNDERSTOOD:
        return 0.0
    named = any(e.get("entity") in {"matter", "policy", "place", "department"} for e in parsed.get("entities") or [])
    return float(intent.get("confidence") or 0.0) + (0.5 if named else 0.0)


@dataclass(frozen=True)
class Choice:
    hypothesis: Hypothesis
    intent: str | None

    @property
    def needs_confirmation(self) -> bool:
        confidence = self.hypothesis.confidence
        return confidence is not None and confidence < CONFIRM_BELOW and self.intent not in NO_CONFIRMATION


async def choose(hypotheses: list[Hypothesis], parse: Parse) -> Choice:
    """The hypothesis the assistant understands best; the recogniser's order breaks ties."""
    if len(hypotheses) == 1:
        parsed = await parse(hypotheses[0].text)
        return Choice(hypotheses[0], (parsed.get("intent") or {}).get("name"))
    best: tuple[float, int, Hypothesis, str | None] | None = None
    for rank, hypothesis in enumerate(hypotheses):
        parsed = await parse(hypothesis.text)
        score = understanding(parsed)
        if best is None or score > best[0]:
            best = (score, rank, hypothesis, (parsed.get("intent") or {}).get("name"))
    assert best is not None
    return Choice(best[2], best[3])


class PendingConfirmations:
    """Doubtful utterances waiting for the caller's 是/不是, per conversation, for a minute. Kept in
    the channel state, not the dialogue: a confirmation belongs to the live voice session."""

    def __init__(self, seconds: float = PENDING_SECONDS, state: ChannelState | None = None) -> None:
        self.seconds = seconds
        self.state = state or channel_state()

    async def put(self, sender: str, text: str) -> None:
        if self.seconds > 0:
            await self.state.set(f"voice:confirm:{sender}", text, self.seconds)

    async def pop(self, sender: str) -> str | None:
        return await self.state.pop(f"voice:confirm:{sender}")


@dataclass(frozen=True)
class Turn:
    """What a voice channel sends to Rasa this turn, or says itself without asking Rasa."""

    text: str | None = None
    speech: list[str] = field(default_factory=list)
    # the NLU's intent for `text`, for channels that act on it (the hotline counts failures)
    intent: str | None = None


async def plan_turn(
    sender: str, hypotheses: list[Hypothesis], parse: Parse, pending: PendingConfirmations
) -> Turn:
    """Decide the turn: answer a pending confirmation, ask for one, or pass the best text on."""
    waiting = await pending.pop(sender)
    choice = await choose(hypotheses, parse)
    if waiting is not None:
        if choice.intent == "affirm":
            return Turn(text=waiting, intent=((await parse(waiting)).get("intent") or {}).get("name"))
        if choice.intent == "deny":
            return Turn(speech=[replies.VOICE_REPEAT])
        # anything else is a new question: the doubtful one is dropped
    if choice.needs_confirmation:
        await pending.put(sender, choice.hypothesis.text)
        return Turn(speech=[replies.voice_confirmation_text(choice.hypothesis.text)])
    return Turn(text=choice.hypothesis.text, intent=choice.intent)
