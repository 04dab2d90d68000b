"""The hotline's live webhook through the running Rasa server: speakable answers for the IVR,
the same answer as text for an agent's panel, and transfers to a person when they are due."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.e2e.services import HOTLINE_AUTH, Services, url

pytestmark = pytest.mark.e2e


class Call:
    def __init__(self) -> None:
        self.call_id = f"call-{uuid.uuid4().hex[:8]}"

    def say(self, text: str, **extra: Any) -> dict[str, Any]:
        body = {"call_id": self.call_id, "text": text, **extra}
        response = httpx.post(f"{url('rasa')}/webhooks/hotline/webhook", json=body, headers=HOTLINE_AUTH, timeout=30)
        response.raise_for_status()
        reply: dict[str, Any] = response.json()
        return reply


def test_a_question_gets_a_speakable_answer_and_the_record_for_the_agent(services: Services) -> None:
    reply = Call().say("喂你好，那个我驾照快到期了，要怎么换啊")
    assert reply["records"] == ["机动车驾驶证期满换证"]
    assert "【机动车驾驶证期满换证】" in reply["display"][0]
    speech = "".join(reply["speech"])
    assert "机动车驾驶证期满换证" in speech and "【" not in speech and "http" not in speech
    assert reply["actions"] == []


def test_asking_for_a_person_transfers_the_call(services: Services) -> None:
    reply = Call().say("我要转人工")
    assert reply["actions"] == [{"type": "transfer", "reason": "caller_request", "to": "12345人工坐席"}]


def test_a_complaint_files_a_work_order_then_transfers(services: Services) -> None:
    call = Call()
    call.say("我想问一下公积金租房提取要多少钱")
    reply = call.say("我为这个事跑了三趟都没办成，我要反映")
    (action,) = reply["actions"]
    assert action["type"] == "transfer" and action["reason"] == "complaint"
    order = action["work_order"]
    assert order["number"].startswith("BBCS-") and order["number"] in "".join(reply["display"])
    assert order["matter_id"] == "gjj-rent-withdrawal" and order["department"]


def test_a_grievance_in_softer_words_is_offered_a_ticket_and_filed_on_yes(services: Services) -> None:
    call = Call()
    offer = call.say("窗口那个人态度太差了，爱搭不理的")
    assert offer["actions"] == [] and "要为您登记" in "".join(offer["speech"])
    assert "请说“是”" in "".join(offer["speech"])
    (action,) = call.say("是的")["actions"]
    assert action["reason"] == "complaint" and action["work_order"]["number"].startswith("BBCS-")


def test_two_unanswered_questions_transfer_the_call(services: Services) -> None:
    call = Call()
    first = call.say("那帮我订个酒店吧")
    assert first["actions"] == [] and not first["records"]
    second = call.say("今天股票会涨吗")
    assert second["actions"] == [{"type": "transfer", "reason": "not_answered", "to": "12345人工坐席"}]
    assert "转接人工坐席" in "".join(second["speech"])
    # a question answered afterwards is just answered
    third = call.say("驾照快到期了怎么换")
    assert third["actions"] == [] and third["records"] == ["机动车驾驶证期满换证"]


def test_a_doubtful_utterance_is_confirmed_first(services: Services) -> None:
    call = Call()
    asked = call.say("公积金租房提取要什么材料", asr_confidence=0.35)
    assert asked["speech"] == ["您是说“公积金租房提取要什么材料”吗？请说“是”或者“不是”。"] and not asked["records"]
    assert call.say("对", asr_confidence=0.8)["records"] == ["住房公积金租房提取"]


@pytest.mark.parametrize(
    "body, status",
    [({"text": "社保卡"}, 422), ({"call_id": "c1", "text": "是", "asr_confidence": 7}, 422), ([1, 2], 400)],
)
def test_bad_requests_get_clear_errors(services: Services, body: Any, status: int) -> None:
    response = httpx.post(f"{url('rasa')}/webhooks/hotline/webhook", json=body, headers=HOTLINE_AUTH, timeout=30)
    assert response.status_code == status and response.json()["error"]
