"""Per-call analysis of the sample calls: records asked, catalog answers, work orders, gaps."""

from __future__ import annotations

from dataclasses import fields

import pytest

from knowledge.hotline.analysis import (
    COMPLAINT,
    HUMAN,
    OUTSIDE,
    UNSURE,
    CallAnalyser,
    CallAnalysis,
    classify_turn,
    clean_text,
)
from knowledge.hotline.calls import Call
from tests.knowledge.hotline.conftest import SAMPLE, raw_numbers

# call -> the records a person reading the transcript would say were asked
EXPECTED_RECORDS = {
    "HL-20261102-001": ["matter:cg-license-renewal"],
    "HL-20261102-002": ["matter:crj-passport-issue"],
    "HL-20261102-003": ["matter:sb-card-loss-replacement"],  # ASR: 社宝卡
    "HL-20261102-008": ["policy:pol-small-profit-cit"],
    "HL-20261102-009": ["policy:pol-unemployment-insurance-job-retention"],
    "HL-20261102-012": ["matter:hz-birth-registration"],
    "HL-20261103-021": ["theme:theme-open-restaurant"],
    "HL-20261104-026": ["place:pickup-area"],
    "HL-20261105-030": ["matter:hz-id-card-renewal", "matter:crj-passport-renewal"],
    "HL-20261106-036": ["matter:cg-license-reissue"],  # ASR: 架势证
    "HL-20261106-037": ["policy:pol-housing-fund-deferral"],  # ASR: 公鸡金
    "HL-20261106-042": ["matter:cg-license-renewal"],
}


@pytest.mark.parametrize(("call_id", "expected"), sorted(EXPECTED_RECORDS.items()))
def test_the_records_asked_are_found_and_answered_from_the_catalog(
    sample: dict[str, CallAnalysis], call_id: str, expected: list[str]
) -> None:
    analysis = sample[call_id]
    assert [r.key for r in analysis.records] == expected
    assert analysis.outcome == "knowledge" and analysis.reasons == [] and analysis.gaps == []
    assert analysis.summary.endswith("已按目录答复。")


def test_a_matter_answer_names_the_record_and_its_key_elements(
    sample: dict[str, CallAnalysis], analyser: CallAnalyser
) -> None:
    matter = analyser.catalog.matters["cg-license-renewal"]
    answer = sample["HL-20261102-001"].records[0].answer
    assert answer.startswith(f"【{matter.name}】")
    assert f"材料{len(matter.materials)}项" in answer
    assert "、".join(str(n) for n in matter.location.windows) + "号窗口" in answer
    assert analyser.catalog.places[matter.location.hall].name in answer
    assert matter.fee.amount in answer
    days = matter.time_limit.promised_days
    assert ("即办" if days == 0 else f"承诺{days}个工作日") in answer
    assert sample["HL-20261102-001"].department == analyser.catalog.departments[matter.department]


def test_a_policy_answer_comes_from_the_policy(sample: dict[str, CallAnalysis], analyser: CallAnalyser) -> None:
    policy = analyser.catalog.policies["pol-small-profit-cit"]
    analysis = sample["HL-20261102-008"]
    assert [p.name for p in analysis.policies] == [policy.name] and analysis.matters == []
    answer = analysis.policies[0].answer
    assert policy.mode.value in answer and policy.contact.rstrip("。") in answer
    assert analysis.department is not None and analysis.department.id == policy.department


def test_a_follow_up_is_answered_with_the_turn_before_it(sample: dict[str, CallAnalysis]) -> None:
    questions = sample["HL-20261102-001"].questions
    assert [(q.turn, q.decision, q.via_context) for q in questions] == [(1, "answer", False), (3, "answer", True)]
    assert questions[1].candidate is not None and questions[1].candidate.key == "matter:cg-license-renewal"


@pytest.mark.parametrize(
    ("call_id", "reasons", "department"),
    [
        ("HL-20261102-005", [COMPLAINT], "bdc"),  # the matter complained about: 二手房过户
        ("HL-20261103-023", [COMPLAINT], "sb"),  # named: 社保17号窗口
        ("HL-20261104-024", [COMPLAINT], "cg"),  # only a window number: 八号窗口
        ("HL-20261106-038", [COMPLAINT], "sb"),
        ("HL-20261104-025", [HUMAN], "gjj"),  # asks for a person, then about a 公积金 loan
    ],
)
def test_work_orders_go_to_the_right_department(
    sample: dict[str, CallAnalysis], call_id: str, reasons: list[str], department: str
) -> None:
    analysis = sample[call_id]
    assert analysis.outcome == "work_order"
    assert analysis.reasons == reasons
    assert analysis.department is not None and analysis.department.id == department
    assert analysis.summary.endswith(f"需转工单（{analysis.department.short_name}）。")


def test_a_lost_card_in_everyday_words_is_answered(sample: dict[str, CallAnalysis]) -> None:
    # 社保卡找不着了，得补一张: the lexicon hears 找不着了 as 补领 (it was an unsure work order)
    analysis = sample["HL-20261106-040"]
    assert analysis.outcome == "knowledge" and analysis.reasons == []
    assert [r.key for r in analysis.records] == ["matter:sb-card-loss-replacement"]


def test_a_complaint_records_the_matter_it_is_about(sample: dict[str, CallAnalysis]) -> None:
    analysis = sample["HL-20261102-005"]
    assert [r.key for r in analysis.records] == ["matter:bdc-second-hand-house-transfer"]
    assert analysis.complaints and analysis.complaints[0].startswith("我要投诉")
    assert "投诉：" in analysis.summary


@pytest.mark.parametrize("call_id", ["HL-20261102-007", "HL-20261104-027", "HL-20261104-028"])
def test_questions_outside_the_catalog_are_gaps_and_work_orders(sample: dict[str, CallAnalysis], call_id: str) -> None:
    analysis = sample[call_id]
    assert analysis.records == [] and analysis.outcome == "work_order"
    assert len(analysis.gaps) == 1 and analysis.gaps[0].confidence < 0.7
    assert analysis.reasons == [OUTSIDE if analysis.gaps[0].decision == "none" else UNSURE]
    assert analysis.department is None and "待分派" in analysis.summary
    assert "未能答复：" in analysis.summary


def test_a_request_for_a_person_after_an_unanswerable_question(sample: dict[str, CallAnalysis]) -> None:
    analysis = sample["HL-20261102-006"]
    assert analysis.human_requested and analysis.reasons[0] == HUMAN
    assert [g.turn for g in analysis.gaps] == [1] and len(analysis.reasons) == 2


def test_gaps_are_exactly_the_unsure_questions(sample: dict[str, CallAnalysis]) -> None:
    for analysis in sample.values():
        assert all(g.decision in ("ask", "none") and g.confidence < 0.7 for g in analysis.gaps)
        assert (UNSURE in analysis.reasons) == any(g.decision == "ask" for g in analysis.gaps)
        assert (OUTSIDE in analysis.reasons) == any(g.decision == "none" for g in analysis.gaps)
    assert sum(len(a.gaps) for a in sample.values()) >= 5


def test_a_call_without_a_request(sample: dict[str, CallAnalysis]) -> None:
    analysis = sample["HL-20261106-035"]  # 喂？听得见吗 … 待会儿再打
    assert analysis.outcome == "no_request" and analysis.questions == [] and analysis.department is None


def test_numbers_read_out_are_data_not_questions(sample: dict[str, CallAnalysis]) -> None:
    # turn 3 of -003 is an ID card number, turn 3 of -004 a phone number
    assert [q.turn for q in sample["HL-20261102-003"].questions] == [1, 5]
    assert [q.turn for q in sample["HL-20261102-004"].questions] == [1]


def test_no_analysis_holds_a_raw_personal_number(sample: dict[str, CallAnalysis]) -> None:
    numbers = raw_numbers(SAMPLE)
    for analysis in sample.values():
        texts = [str(getattr(analysis, f.name)) for f in fields(analysis)]
        texts += [q.text for q in analysis.questions] + analysis.complaints + [analysis.summary]
        leaked = [n for n in numbers for t in texts if n in t]
        assert leaked == [], analysis.call_id
    assert sample["HL-20261102-004"].caller_number == "138****5678"


def test_one_call_alone(analyser: CallAnalyser) -> None:
    call = Call.model_validate(
        {
            "call_id": "T-1",
            "start_time": "2026-11-02T09:15:00+08:00",
            "turns": [{"speaker": "caller", "text": "嗯，社保卡丢了，怎么补"}],
        }
    )
    analysis = analyser.analyse(call)
    assert [r.key for r in analysis.records] == ["matter:sb-card-loss-replacement"]
    assert analysis.outcome == "knowledge" and analysis.caller_number == "" and analysis.start.hour == 9


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我要投诉，你们窗口不给办", "complaint"),
        ("跑了三趟了还没办下来", "complaint"),
        ("你们这办不成事找谁", "complaint"),
        ("你给我转人工吧", "human"),
        ("我不想跟机器说", "human"),
        ("人工，人工！", "human"),
        ("这个是人工智能吗", "question"),
        ("驾照到期了咋换", "question"),
        ("网上能办不", "question"),
        ("好的，谢谢啊", "statement"),
        ("我身份证号是220102199003071234", "statement"),
    ],
)
def test_turns_are_classified(text: str, kind: str) -> None:
    assert classify_turn(text) == kind


def test_fillers_are_dropped_from_excerpts() -> None:
    assert clean_text("喂，你好，嗯，那个，就是说我驾照丢了") == "我驾照丢了"
    assert clean_text("嗯") == "嗯"  # nothing but fillers: kept rather than emptied
