"""The voice channels' ASR handling (bot environment). The NLU is replaced by a table of parses
here, so each rule is tested alone; tests/e2e/test_robot_voice.py and test_hotline.py run the
same paths through the real Rasa server."""

from __future__ import annotations

from typing import Any

import pytest

from actions import replies
from channels.hotline import failed, transfer
from channels.voice import (
    BadRequest,
    Hypothesis,
    PendingConfirmations,
    choose,
    plan_turn,
    read_hypotheses,
)

PARSES: dict[str, dict[str, Any]] = {
    "社宝卡丢了怎么办": {"intent": {"name": "nlu_fallback", "confidence": 0.35}, "entities": []},
    "社保卡丢了怎么办": {
        "intent": {"name": "ask_matter", "confidence": 0.8},
        "entities": [{"entity": "matter", "value": "社保卡"}],
    },
    "设备卡丢了怎么办": {"intent": {"name": "ask_matter", "confidence": 0.85}, "entities": []},
    "是": {"intent": {"name": "affirm", "confidence": 0.97}, "entities": []},
    "不是": {"intent": {"name": "deny", "confidence": 0.95}, "entities": []},
    "公积金怎么提取": {"intent": {"name": "ask_matter", "confidence": 0.9}, "entities": []},
}


async def parse(text: str) -> dict[str, Any]:
    return PARSES[text]


def test_hypotheses_come_from_text_then_nbest_without_repeats() -> None:
    body = {
        "text": " 社宝卡丢了怎么办 ",
        "asr_confidence": 0.7,
        "nbest": [{"text": "社宝卡丢了怎么办", "confidence": 0.7}, {"text": "社保卡丢了怎么办", "confidence": 0.6}],
    }
    assert read_hypotheses(body) == [Hypothesis("社宝卡丢了怎么办", 0.7), Hypothesis("社保卡丢了怎么办", 0.6)]
    assert read_hypotheses({"text": "  "}) == []
    assert read_hypotheses({"nbest": [{"text": "是"}]}) == [Hypothesis("是", None)]


@pytest.mark.parametrize(
    "body, message",
    [
        ({"text": 3}, "text must be a string"),
        ({"text": "是", "asr_confidence": 1.5}, "asr_confidence must be a number between 0 and 1"),
        ({"text": "是", "asr_confidence": True}, "asr_confidence must be a number between 0 and 1"),
        ({"nbest": "社保卡"}, "nbest must be a list"),
        ({"nbest": [{"confidence": 0.5}]}, "nbest[1] must be an object with a text"),
        ({"nbest": [{"text": "x"}] * 11}, "at most 10"),
        ({"text": "办" * 501}, "longer than 500"),
    ],
)
def test_malformed_asr_input_is_refused_with_the_reason(body: dict[str, Any], message: str) -> None:
    with pytest.raises(BadRequest, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_hypotheses(body)


@pytest.mark.asyncio
async def test_the_hypothesis_naming_a_catalog_record_wins() -> None:
    hypotheses = [
        Hypothesis("社宝卡丢了怎么办", 0.8),
        Hypothesis("设备卡丢了怎么办", 0.7),
        Hypothesis("社保卡丢了怎么办", 0.6),
    ]
    choice = await choose(hypotheses, parse)
    assert choice.hypothesis.text == "社保卡丢了怎么办" and choice.intent == "ask_matter"


@pytest.mark.asyncio
async def test_the_recognisers_order_breaks_ties() -> None:
    choice = await choose([Hypothesis("是", 0.5), Hypothesis("是", 0.9)], parse)
    assert choice.hypothesis.confidence == 0.5


@pytest.mark.asyncio
async def test_a_doubtful_question_is_confirmed_before_anything_happens() -> None:
    pending = PendingConfirmations()
    asked = await plan_turn("s1", [Hypothesis("公积金怎么提取", 0.4)], parse, pending)
    assert asked.text is None and asked.speech == ["您是说“公积金怎么提取”吗？请说“是”或者“不是”。"]
    confirmed = await plan_turn("s1", [Hypothesis("是", 0.3)], parse, pending)
    assert confirmed.text == "公积金怎么提取" and confirmed.intent == "ask_matter"
    # confirmed once: a second 是 is an ordinary answer again
    assert (await plan_turn("s1", [Hypothesis("是", 0.9)], parse, pending)).text == "是"


@pytest.mark.asyncio
async def test_no_means_say_it_again_and_a_new_question_replaces_the_doubtful_one() -> None:
    pending = PendingConfirmations()
    await plan_turn("s1", [Hypothesis("公积金怎么提取", 0.4)], parse, pending)
    denied = await plan_turn("s1", [Hypothesis("不是", 0.9)], parse, pending)
    assert denied.text is None and denied.speech == [replies.VOICE_REPEAT]
    await plan_turn("s1", [Hypothesis("公积金怎么提取", 0.4)], parse, pending)
    other = await plan_turn("s1", [Hypothesis("社保卡丢了怎么办", 0.9)], parse, pending)
    assert other.text == "社保卡丢了怎么办"
    assert await pending.pop("s1") is None


@pytest.mark.asyncio
async def test_confident_or_unscored_speech_and_short_answers_are_not_confirmed() -> None:
    pending = PendingConfirmations()
    assert (await plan_turn("s1", [Hypothesis("公积金怎么提取", 0.9)], parse, pending)).text == "公积金怎么提取"
    assert (await plan_turn("s1", [Hypothesis("公积金怎么提取")], parse, pending)).text == "公积金怎么提取"
    assert (await plan_turn("s1", [Hypothesis("是", 0.2)], parse, pending)).text == "是"


@pytest.mark.asyncio
async def test_a_confirmation_expires() -> None:
    pending = PendingConfirmations(seconds=0.0)
    await plan_turn("s1", [Hypothesis("公积金怎么提取", 0.4)], parse, pending)
    assert (await plan_turn("s1", [Hypothesis("是", 0.9)], parse, pending)).text == "是"


def test_hotline_failures_are_replies_without_an_answer_or_unnamed_fallbacks() -> None:
    # the outcome field decides, not the wording: a reworded no-answer reply still counts
    assert failed("ask_matter", [{"text": "换了措辞的没找到", "outcome": replies.NO_ANSWER}])
    assert not failed("ask_matter", [{"text": replies.not_found_text(), "outcome": None}])
    assert failed("nlu_fallback", [{"text": "随便说点什么"}])
    assert not failed("nlu_fallback", [{"text": "【社会保障卡补领】需要带身份证。"}])
    assert not failed("greet", [{"text": "您好！"}])


@pytest.mark.asyncio
async def test_the_hotline_collector_keeps_the_outcome_field() -> None:
    from channels.hotline import OutcomeCollectingChannel

    collector = OutcomeCollectingChannel()
    await collector.send_response("call-1", {"text": replies.not_found_text(), "outcome": replies.NO_ANSWER})
    answer = {"text": "【居民身份证补领】…", "buttons": [{"title": "a", "payload": "/a"}]}
    await collector.send_response("call-1", answer)
    assert [m["outcome"] for m in collector.messages] == [replies.NO_ANSWER, None]


def test_hotline_transfers_for_complaints_requests_and_repeated_failures() -> None:
    order = {"number": "BBCS-20261126-0001", "type": "办不成事反映", "matter_id": None, "department": None}
    complaint = transfer([{"custom": {"work_order": order}}, {"text": "已登记"}], turn_failed=False, failures=0)
    assert complaint == {"type": "transfer", "reason": "complaint", "to": "12345人工坐席", "work_order": order}
    handoff = transfer([{"custom": {"handoff": {}}}], turn_failed=False, failures=0)
    assert handoff == {"type": "transfer", "reason": "caller_request", "to": "12345人工坐席"}
    assert transfer([{"text": "x"}], turn_failed=True, failures=1) is None
    assert transfer([{"text": "x"}], turn_failed=True, failures=2)["reason"] == "not_answered"  # type: ignore[index]
    # an answered turn after two failures is not transferred again
    assert transfer([{"text": "【住房公积金租房提取】…"}], turn_failed=False, failures=2) is None
