"""The notice form's pieces: which questions to ask, and free answers understood."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.notices import ActionIssueNotice, ValidateNoticeForm, needed_situations, understand_option
from actions.replies import notice_summary_text as notice_summary
from tests.actions.conftest import RECORDED, make_tracker

HANDLER = ["经营者本人办理", "委托他人代办"]


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("我自己去", "经营者本人办理"),
        ("帮我妈办", "委托他人代办"),
        ("委托他人代办", "委托他人代办"),
        ("不清楚", "不清楚"),
        ("我也不知道", "不清楚"),
        ("第二个", "委托他人代办"),
        ("明天天气", None),
    ],
)
def test_free_answers_are_understood(text: str, option: str | None) -> None:
    assert understand_option(text, HANDLER) == option


def test_only_situations_that_decide_materials_are_asked() -> None:
    matter = RECORDED["/v1/matters/qy-individual-business-registration"]
    asked = [s["key"] for s in needed_situations(matter)]
    used = {k for m in matter["materials"] for k in m["applies_when"]}
    assert set(asked) == used
    assert asked == [s["key"] for s in matter["situations"] if s["key"] in used]  # catalog order


@pytest.mark.asyncio
async def test_required_slots_follow_the_matter() -> None:
    matter = RECORDED["/v1/matters/qy-individual-business-registration"]
    situations = needed_situations(matter)
    tracker = make_tracker(
        "", "ask_materials", slots={"notice_matter_id": matter["id"], "notice_situations": situations}
    )
    slots = await ValidateNoticeForm().required_slots([], CollectingDispatcher(), tracker, {})
    assert slots == [f"situation_{i + 1}" for i in range(len(situations))]
    cancelled = make_tracker(
        "", "deny", slots={"notice_matter_id": matter["id"], "notice_situations": situations, "notice_cancelled": True}
    )
    assert await ValidateNoticeForm().required_slots([], CollectingDispatcher(), cancelled, {}) == []


@pytest.mark.asyncio
async def test_cancel_inside_the_form() -> None:
    matter = RECORDED["/v1/matters/qy-individual-business-registration"]
    tracker = make_tracker(
        "取消", "deny", slots={"notice_matter_id": matter["id"], "notice_situations": needed_situations(matter)}
    )
    result = await ValidateNoticeForm().validate_situation_1("取消", CollectingDispatcher(), tracker, {})
    assert result == {"situation_1": None, "notice_cancelled": True}
    dispatcher = CollectingDispatcher()
    cancelled = make_tracker("取消", "deny", slots={"notice_matter_id": matter["id"], "notice_cancelled": True})
    await ActionIssueNotice().run(dispatcher, cancelled, {})
    assert "已取消" in dispatcher.messages[0]["text"]


def _notice(materials: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "title": "【个体工商户设立登记】一次性告知单",
        "number": "CC-20261126-000001",
        "materials": materials,
        "materials_to_submit": sum(m["submit"] for m in materials),
        "pending": [],
        "url": "http://127.0.0.1:8000/notices/x",
    }


def test_summaries_per_channel() -> None:
    materials = [{"name": f"材料{i}", "submit": i != 2, "conditional": False} for i in range(6)]
    text = notice_summary(_notice(materials), voice=False, channel="rest")
    assert "CC-20261126-000001" in text and "共6项材料，需提交5项" in text and "http://127.0.0.1:8000/notices/x" in text
    assert "材料0、材料1、材料3、材料4等" in text
    assert notice_summary(_notice(materials), voice=True, channel="robot") == "共需6项材料，告知单已发送到屏幕。"
    hotline = notice_summary(_notice(materials), voice=True, channel="hotline")
    assert hotline == "共需6项材料，告知单编号是CC-20261126-000001，可凭编号在中庭咨询导服台打印。"


@pytest.mark.asyncio
async def test_the_rest_unknown_fills_every_remaining_question() -> None:
    matter = RECORDED["/v1/matters/qy-individual-business-registration"]
    situations = needed_situations(matter)
    tracker = make_tracker(
        "其他都不清楚", "inform", slots={"notice_matter_id": matter["id"], "notice_situations": situations}
    )
    result = await ValidateNoticeForm().validate_situation_2("其他都不清楚", CollectingDispatcher(), tracker, {})
    assert result == {f"situation_{i}": "不清楚" for i in range(2, len(situations) + 1)}


def test_a_question_is_never_read_as_an_option_by_shared_characters() -> None:
    housing = ["商品住房", "公共租赁住房"]
    assert understand_option("公租房", housing) == "公共租赁住房"  # an answer in other words
    # a question about another matter shares 租 and 房 with 公共租赁住房 (it once became the answer)
    assert understand_option("租房合同备案在哪办", housing) is None
    assert understand_option("公共的那个要多少钱", housing) is None
    # 过户 is in 带押过户, but the message asks whether the utilities move too
    assert understand_option("过完户水电气是不是也得跟着过，有没有一起办的", ["无抵押", "带押过户"]) is None


def test_an_ordinal_or_a_leading_no_in_a_question_answers_no_option() -> None:
    """"第一次创业有补贴不" once answered the first option, and "不是丢了，是护照快过期了" the
    option 未满16周岁; both are questions about another matter."""
    age = ["年满16周岁", "未满16周岁"]
    assert understand_option("第一次创业有补贴不，给多少", ["是", "否"]) is None
    assert understand_option("不是丢了，是护照快过期了，换个新的咋整", age) is None
    assert understand_option("不是", age) == "未满16周岁"
    assert understand_option("第一个", age) == "年满16周岁"
    assert understand_option("我妈来办行不行", HANDLER) == "委托他人代办"  # a question that answers


def test_words_inside_a_question_answer_no_option() -> None:
    # while 委托公证's questions ran, 不知道 inside a new question became 不清楚 (a bug)
    assert understand_option("前车牌不知道啥时候掉了，补牌要几天，急用", ["个人", "单位"]) is None
    # and 在哪 once answered the option 在 of "纸质营业执照是否还在"
    assert understand_option("信用那块服务区在哪，我要打个信用报告", ["在", "已遗失"]) is None
    assert understand_option("在的", ["在", "已遗失"]) == "在"
    assert understand_option("这个我不知道", ["个人", "单位"]) == "不清楚"
