"""Actions with Tracker.from_dict fixtures and recorded knowledge-service answers."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action

from actions import store
from actions.clients.knowledge import KnowledgeClient
from actions.guidance import ActionAnswerPlace
from actions.matters import ActionAnswerMatter, ActionChooseOption, answer_record
from actions.notices import ActionStartNotice
from actions.policies import ActionMatchPolicies, ValidatePolicyMatchForm
from actions.service import ActionFileComplaint, ActionHandoff, ActionStoreFeedback
from tests.actions.conftest import RECORDED, make_tracker

pytestmark = pytest.mark.asyncio


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def _texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


async def test_materials_answer_names_the_matter_and_lists_every_material(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("驾照快到期了怎么换", "ask_materials", [{"entity": "matter", "value": "驾照"}])
    events = await ActionAnswerMatter().run(dispatcher, tracker, {})
    text = _texts(dispatcher)
    matter = RECORDED["/v1/matters/cg-license-renewal"]
    assert text.startswith("【机动车驾驶证期满换证】")
    for material in matter["materials"]:
        assert material["name"] in text
    assert _slots(events)["matter_id"] == "cg-license-renewal"


async def test_overview_gives_count_place_time_fee_visits_online(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerMatter().run(dispatcher, make_tracker("驾照快到期了怎么换", "ask_matter"), {})
    text = _texts(dispatcher)
    matter = RECORDED["/v1/matters/cg-license-renewal"]
    assert f"共{len(matter['materials'])}项" in text
    assert "西侧大厅" in text and "号窗口" in text
    assert "时限" in text and "收费" in text and "跑动" in text and "网办" in text


async def test_a_how_to_question_gets_the_steps_and_where_to_go(recorded_knowledge: list) -> None:
    """"驾照快到期了怎么换" asks how: every step of the record, then its windows."""
    dispatcher = CollectingDispatcher()
    await ActionAnswerMatter().run(dispatcher, make_tracker("驾照快到期了怎么换", "ask_process"), {})
    text = _texts(dispatcher)
    matter = RECORDED["/v1/matters/cg-license-renewal"]
    assert text.startswith("【机动车驾驶证期满换证】办理流程：")
    assert all(step in text for step in matter["process"])
    assert "办理地点：西侧大厅" in text and "号窗口" in text


async def test_follow_up_without_a_matter_answers_for_the_matter_in_context(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("那要多少钱", "ask_fee", slots={"matter_id": "cg-license-renewal"})
    events = await ActionAnswerMatter().run(dispatcher, tracker, {})
    assert _texts(dispatcher).startswith("【机动车驾驶证期满换证】收费：")
    assert _slots(events)["matter_id"] == "cg-license-renewal"


async def test_who_may_come_gets_the_conditions_and_the_visits(recorded_knowledge: list) -> None:
    """"能代办吗" asks who may apply (conditions); the answer also says how often one comes."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("能代办吗", "ask_conditions", slots={"matter_id": "cg-license-renewal"})
    events = await ActionAnswerMatter().run(dispatcher, tracker, {})
    text = _texts(dispatcher)
    matter = RECORDED["/v1/matters/cg-license-renewal"]
    assert text.startswith("【机动车驾驶证期满换证】受理条件：")
    assert all(condition in text for condition in matter["conditions"])
    assert "到现场次数：" in text
    assert _slots(events)["answered_element"] == "conditions"


async def test_how_to_claim_a_policy_gets_its_way_materials_and_contact(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    await answer_record(KnowledgeClient(), dispatcher, "policy", "pol-one-time-hiring-subsidy", "process")
    policy = RECORDED["/v1/policies/pol-one-time-hiring-subsidy"]
    text = _texts(dispatcher)
    assert text.startswith(f"【一次性吸纳就业补贴】享受方式：{policy['mode']}。")
    assert policy["contact"] in text and "申请材料：" in text


async def test_each_answer_records_the_element_it_gave(recorded_knowledge: list) -> None:
    """The answered_element slot says what the reply answered: a policy has no fee of its own,
    so a fee question gets (and records) the whole policy."""
    client = KnowledgeClient()
    fee = await answer_record(client, CollectingDispatcher(), "matter", "cg-license-renewal", "fee")
    assert _slots(fee)["answered_element"] == "fee"
    policy_fee = await answer_record(client, CollectingDispatcher(), "policy", "pol-one-time-hiring-subsidy", "fee")
    assert _slots(policy_fee)["answered_element"] == "overview"
    policy_how = await answer_record(client, CollectingDispatcher(), "policy", "pol-one-time-hiring-subsidy", "process")
    assert _slots(policy_how)["answered_element"] == "process"
    policy_where = await answer_record(
        client, CollectingDispatcher(), "policy", "pol-one-time-hiring-subsidy", "location"
    )
    assert _slots(policy_where)["answered_element"] == "location"


async def test_a_follow_up_after_a_policy_answers_for_that_policy(recorded_knowledge: list) -> None:
    # a policy chosen from a list becomes the topic: "在哪办" then asks where to apply for it
    # (it used to fall through to a search for "在哪办" and say nothing was found)
    dispatcher = CollectingDispatcher()
    chosen = await answer_record(
        KnowledgeClient(), dispatcher, "policy", "pol-one-time-hiring-subsidy", "overview"
    )
    slots = _slots(chosen)
    assert slots["policy_id"] == "pol-one-time-hiring-subsidy" and slots["matter_id"] is None
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("在哪办", "ask_location", slots=slots)
    await ActionAnswerMatter().run(dispatcher, tracker, {})
    assert _texts(dispatcher).startswith("【一次性吸纳就业补贴】办理和咨询：")
    assert "窗口" in _texts(dispatcher)


async def test_ambiguous_question_offers_buttons_and_remembers_candidates(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerMatter().run(dispatcher, make_tracker("公积金", "ask_matter"), {})
    buttons = dispatcher.messages[0]["buttons"]
    assert 2 <= len(buttons) <= 3
    assert all(b["payload"].startswith('/choose_option{"choice": "') for b in buttons)
    slots = _slots(events)
    assert len(slots["candidates"]) == len(buttons) and slots["pending_intent"] == "ask_matter"


async def test_ambiguous_question_on_a_robot_is_a_short_spoken_choice(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("公积金", "ask_matter", metadata={"channel": "robot", "robot_id": "robot-north"})
    await ActionAnswerMatter().run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["buttons"] == [] and "还是" in message["text"] and "第一个" in message["text"]


async def test_where_question_needs_no_choice_when_all_candidates_share_the_windows(recorded_knowledge: list) -> None:
    search = RECORDED["search:护照在哪个窗口办:None"]
    assert search["decision"] == "ask"  # the search alone cannot tell 签发 from 补发
    dispatcher = CollectingDispatcher()
    await ActionAnswerMatter().run(dispatcher, make_tracker("护照在哪个窗口办", "ask_location"), {})
    text = _texts(dispatcher)
    assert "【普通护照补发】" in text and "【普通护照签发】" in text and "都在西侧大厅1-2号窗口办理" in text
    assert dispatcher.messages[0].get("buttons") in (None, [])


async def test_a_place_question_naming_a_matter_answers_where_the_matter_is_handled(
    recorded_knowledge: list[Any],
) -> None:
    # the NLU may call "护照在哪个窗口办" a place question; the matter it names decides
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("护照在哪个窗口办", "ask_place", entities=[{"entity": "matter", "value": "护照"}])
    await ActionAnswerPlace().run(dispatcher, tracker, {})
    text = _texts(dispatcher)
    assert "【普通护照补发】" in text and "【普通护照签发】" in text and "都在西侧大厅1-2号窗口办理" in text
    assert ("GET", "/v1/search") in recorded_knowledge


async def test_choosing_by_ordinal_answers_the_pending_question(recorded_knowledge: list) -> None:
    candidates = [
        "matter:qy-individual-business-registration:个体工商户设立登记",
        "matter:cg-license-renewal:机动车驾驶证期满换证",
    ]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("第二个", "choose_option", slots={"candidates": candidates, "pending_intent": "ask_fee"})
    events = await ActionChooseOption().run(dispatcher, tracker, {})
    assert _texts(dispatcher).startswith("【机动车驾驶证期满换证】收费：")
    assert _slots(events)["candidates"] is None


async def test_choosing_by_button_payload(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        '/choose_option{"choice": "matter:qy-individual-business-registration"}',
        "choose_option",
        [{"entity": "choice", "value": "matter:qy-individual-business-registration"}],
        slots={
            "candidates": ["matter:qy-individual-business-registration:个体工商户设立登记"],
            "pending_intent": "ask_location",
        },
    )
    await ActionChooseOption().run(dispatcher, tracker, {})
    assert _texts(dispatcher).startswith("【个体工商户设立登记】在东侧大厅45号窗口办理")


async def test_unanswerable_question_names_no_matter(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerMatter().run(dispatcher, make_tracker("怎么炒股", "ask_matter"), {})
    text = _texts(dispatcher)
    assert "【" not in text and "12345" in text and "咨询导服台" in text


# grievances the catalog has nothing for, told without complaint words: each got "not found".
# An offer files nothing by itself.
NOTHING_FOUND_GRIEVANCES = [
    # set 7: a hardship
    (ActionAnswerMatter, "大厅空调坏了热死了，好几天了也没人修", "ask_matter"),
    # set 26: an account of a visit, no question
    (ActionAnswerMatter, "预约的九点，来了说预约作废了，让重新取号", "ask_matter"),
    # set 30: 补材料 made it a materials question, whose notice search found nothing
    (ActionStartNotice, "我都来第四回了，每回都让我回去补材料，每回说的还不一样", "ask_materials"),
    # set 34: an account of how a window dealt with one, for which the search offered unrelated records
    (ActionAnswerMatter, "那小姑娘把我材料直接扔回来了，一句话都没说", "ask_matter"),
]


@pytest.mark.parametrize(("action", "text", "intent"), NOTHING_FOUND_GRIEVANCES)
async def test_a_grievance_the_catalog_has_nothing_for_is_offered_a_ticket(
    recorded_knowledge: list, actions_db: Path, action: type[Action], text: str, intent: str
) -> None:
    dispatcher = CollectingDispatcher()
    events = await action().run(dispatcher, make_tracker(text, intent), {})
    assert "要为您登记" in _texts(dispatcher) and _slots(events)["candidates"] == ["complaint:offer:登记反映"]
    assert _tickets(actions_db) == 0


async def test_service_down_gives_a_polite_answer_and_keeps_context(knowledge_down: None) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("那要多少钱", "ask_fee", slots={"matter_id": "cg-license-renewal"})
    events = await ActionAnswerMatter().run(dispatcher, tracker, {})
    text = _texts(dispatcher)
    assert "暂时" in text and "12345" in text and "咨询导服台" in text
    assert "matter_id" not in _slots(events)  # the matter in context stays for the next turn


async def test_place_answer_with_windows(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerPlace().run(dispatcher, make_tracker("社保在哪", "ask_place"), {})
    assert _texts(dispatcher).startswith("【社保窗口】位于西侧大厅16-19号窗口")
    assert _slots(events)["place_id"] == "sb-windows"


async def test_place_on_a_robot_tries_the_bridge_and_survives_it_being_down(
    recorded_knowledge: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROBOT_BRIDGE_URL", "http://127.0.0.1:9")  # nothing listens there
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("社保在哪", "ask_place", metadata={"channel": "robot", "robot_id": "robot-north"})
    await ActionAnswerPlace().run(dispatcher, tracker, {})
    text = _texts(dispatcher)
    assert "【社保窗口】" in text and "带路服务暂时不可用" in text


async def test_a_busy_robot_says_why_it_cannot_lead(
    recorded_knowledge: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    busy = {
        "robot": None,
        "robot_status": "busy",
        "message": "抱歉，北门迎宾机器人正在为其他访客带路，暂时不能带您过去。路线已显示在北门指路屏上。",
        "screens": [{"id": "screen-north"}],
    }

    async def bridge_busy(*args: Any) -> dict[str, Any]:
        return busy

    monkeypatch.setattr("actions.lead.request_guide", bridge_busy)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("社保在哪", "ask_place", metadata={"channel": "robot", "robot_id": "robot-north"})
    await ActionAnswerPlace().run(dispatcher, tracker, {})
    text = _texts(dispatcher)
    assert "正在为其他访客带路" in text and "请跟我来" not in text
    guide = next(m["custom"]["guide"] for m in dispatcher.messages if m.get("custom"))
    assert guide["bridge"] == busy


async def test_complaint_log_masks_personal_numbers(actions_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = "我要投诉，我电话13912345678，身份证220102199003071234，跑了三趟没办成"
    with caplog.at_level("INFO", logger="actions.service"):
        await ActionFileComplaint().run(CollectingDispatcher(), make_tracker(text, "complain"), {})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "139****5678" in logged and "13912345678" not in logged and "220102199003071234" not in logged
    number, stored = sqlite3.connect(actions_db).execute("SELECT number, text FROM complaints").fetchone()
    assert stored == "我要投诉，我电话139****5678，身份证220102********1234，跑了三趟没办成"
    # staff following up get the real number only through an audited reveal (tests/actions/test_store.py)
    assert store.reveal_contact(number, "desk-01", "回电") == ["13912345678"]


async def test_complaint_is_stored_with_a_ticket_number(actions_db: Path, recorded_knowledge: list[Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("我要投诉，跑了三趟都没办成", "complain", slots={"matter_id": "cg-license-renewal"})
    await ActionFileComplaint().run(dispatcher, tracker, {})
    rows = sqlite3.connect(actions_db).execute("SELECT number, text, matter_id FROM complaints").fetchall()
    assert len(rows) == 1
    number, text, matter_id = rows[0]
    assert number.startswith("BBCS-") and number in _texts(dispatcher)
    assert text == "我要投诉，跑了三趟都没办成" and matter_id == "cg-license-renewal"
    assert "办不成事反映窗口" in _texts(dispatcher)
    # the work order names the department of the matter in context, from the catalog record
    order = next(m["custom"]["work_order"] for m in dispatcher.messages if m.get("custom"))
    assert order == {
        "number": number, "type": "办不成事反映", "matter_id": "cg-license-renewal",
        "department": "长春市公安局交通警察支队车辆管理所",
    }


def _tickets(database: Path) -> int:
    """How many tickets were filed (none yet: no database)."""
    if not database.exists():
        return 0
    count: int = sqlite3.connect(database).execute("SELECT COUNT(*) FROM complaints").fetchone()[0]
    return count


def _offered(tracker: Any, turns_ago: int = 0) -> Any:
    """The tracker with a ticket offered in the assistant's last turn, or `turns_ago` turns before."""
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "跑了三趟都没办成"},
        {"event": "slot", "name": "candidates", "value": ["complaint:offer:登记反映"]},
    ]
    for _ in range(turns_ago):
        events += [{"event": "user", "text": "社保卡怎么补办"}, {"event": "bot", "text": "【社会保障卡补领】…"}]
    tracker.events = [*events, {"event": "user", "text": tracker.latest_message["text"]}]
    return tracker


async def test_softer_grievance_words_are_offered_a_ticket_not_filed(actions_db: Path) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("我电话13912345678，跑了三趟都没办成", "complain")
    events = await ActionFileComplaint().run(dispatcher, tracker, {})
    assert _tickets(actions_db) == 0
    assert "要为您登记" in _texts(dispatcher)
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["登记反映", "不用了"]
    slots = _slots(events)
    assert slots["candidates"] == ["complaint:offer:登记反映"]
    # what waits for the yes is masked as a ticket stores it
    assert slots["complaint_draft"]["text"] == "我电话139****5678，跑了三趟都没办成"
    assert "13912345678" not in str(slots["complaint_draft"])


async def test_a_yes_right_after_the_offer_files_the_told_words(actions_db: Path, knowledge_down: None) -> None:
    draft = {"text": "我电话139****5678，跑了三趟都没办成", "contact": store.seal_contact("我电话13912345678")}
    slots = {"candidates": ["complaint:offer:登记反映"], "pending_intent": "complain", "complaint_draft": draft}
    dispatcher = CollectingDispatcher()
    events = await ActionChooseOption().run(dispatcher, _offered(make_tracker("是的", "affirm", slots=slots)), {})
    number, stored = sqlite3.connect(actions_db).execute("SELECT number, text FROM complaints").fetchone()
    assert stored == draft["text"] and number in _texts(dispatcher)
    assert any("work_order" in (m.get("custom") or {}) for m in dispatcher.messages)
    assert store.reveal_contact(number, "desk-01", "回电") == ["13912345678"]
    assert _slots(events)["complaint_draft"] is None and _slots(events)["candidates"] is None


async def test_a_yes_a_turn_after_the_offer_files_nothing(actions_db: Path) -> None:
    draft = {"text": "跑了三趟都没办成", "contact": None}
    slots = {"candidates": ["complaint:offer:登记反映"], "pending_intent": "complain", "complaint_draft": draft}
    dispatcher = CollectingDispatcher()
    tracker = _offered(make_tracker("好的", "affirm", slots=slots), turns_ago=1)
    await ActionChooseOption().run(dispatcher, tracker, {})
    assert _tickets(actions_db) == 0
    assert "您要办什么事" in _texts(dispatcher)


async def test_a_hotline_complaint_is_transferred_not_sent_to_a_window(actions_db: Path, knowledge_down: None) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "我要投诉", "complain", slots={"matter_id": "cg-license-renewal"}, metadata={"channel": "hotline"}
    )
    await ActionFileComplaint().run(dispatcher, tracker, {})
    text = _texts(dispatcher)
    assert "转接人工坐席" in text and "办不成事反映窗口" not in text
    # the knowledge service being down costs only the department name, never the ticket
    order = next(m["custom"]["work_order"] for m in dispatcher.messages if m.get("custom"))
    assert order["number"] in text and order["department"] is None


async def test_handoff_sends_a_custom_payload_and_says_who_follows_up() -> None:
    dispatcher = CollectingDispatcher()
    await ActionHandoff().run(dispatcher, make_tracker("转人工", "request_human"), {})
    payload = dispatcher.messages[0]["custom"]["handoff"]
    assert payload["reason"] == "request_human" and payload["to"] == "中庭咨询导服台"
    assert "工作人员" in _texts(dispatcher)


async def test_feedback_is_stored(actions_db: Path) -> None:
    for intent, text in (("feedback_good", "满意"), ("feedback_bad", "没解决")):
        await ActionStoreFeedback().run(CollectingDispatcher(), make_tracker(text, intent), {})
    rows = sqlite3.connect(actions_db).execute("SELECT satisfied, text FROM feedback ORDER BY id").fetchall()
    assert rows == [(1, "满意"), (0, "没解决")]


async def test_policy_form_asks_organisation_questions_for_a_company() -> None:
    form = ValidatePolicyMatchForm()
    tracker = make_tracker("公司", "inform", slots={"pm_entity_type": "企业"})
    assert await form.required_slots([], CollectingDispatcher(), tracker, {}) == [
        "pm_entity_type",
        "pm_size",
        "pm_employees",
        "pm_registration_years",
        "pm_graduates_hired",
    ]
    person = make_tracker("个人", "inform", slots={"pm_entity_type": "个人"})
    assert "pm_age" in await form.required_slots([], CollectingDispatcher(), person, {})


async def test_policy_form_understands_free_answers_and_cancel() -> None:
    form = ValidatePolicyMatchForm()
    d = CollectingDispatcher()
    t = make_tracker("", "inform")
    assert form.validate_pm_entity_type("我们是个公司", d, t, {}) == {"pm_entity_type": "企业"}
    assert form.validate_pm_employees("三十五个人", d, t, {}) == {"pm_employees": 35.0}
    assert form.validate_pm_registration_years("注册两年半了", d, t, {}) == {"pm_registration_years": 2.5}
    assert form.validate_pm_graduates_hired("没有招", d, t, {}) == {"pm_graduates_hired": 0}
    assert form.validate_pm_employees("不查了", d, t, {}) == {"pm_employees": None, "pm_cancelled": True}


async def test_policy_matching_lists_eligible_policies_with_mode(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "",
        "inform",
        slots={
            "pm_entity_type": "企业",
            "pm_size": "小型",
            "pm_employees": 30.0,
            "pm_registration_years": 2.0,
            "pm_graduates_hired": 2.0,
        },
    )
    events = await ActionMatchPolicies().run(dispatcher, tracker, {})
    text = _texts(dispatcher)
    eligible = [m for m in RECORDED["match:企业"]["matches"] if m["eligible"]]
    assert f"匹配到{len(eligible)}项" in text
    assert f"【{eligible[0]['name']}】（{eligible[0]['mode']}）" in text
    assert _slots(events)["pm_entity_type"] is None  # the profile is not kept after the answer


async def test_yes_with_nothing_offered_is_not_a_choice() -> None:
    # issue #14: affirm only means yes right after the assistant asked something
    dispatcher = CollectingDispatcher()
    events = await ActionChooseOption().run(dispatcher, make_tracker("好的", "affirm"), {})
    assert "您要办什么事" in _texts(dispatcher) and events == []


async def test_an_ordinal_with_no_list_open_says_so() -> None:
    dispatcher = CollectingDispatcher()
    await ActionChooseOption().run(dispatcher, make_tracker("第二个", "choose_option"), {})
    assert "没有待选的选项" in _texts(dispatcher)


async def test_naming_a_pending_candidate_settles_the_choice(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    candidates = ["matter:cg-license-renewal:机动车驾驶证期满换证", "matter:cg-license-reissue:机动车驾驶证遗失补证"]
    tracker = make_tracker("期满换证", "ask_matter", slots={"candidates": candidates, "pending_intent": "ask_fee"})
    events = await ActionAnswerMatter().run(dispatcher, tracker, {})
    assert _texts(dispatcher).startswith("【机动车驾驶证期满换证】收费")  # what was asked before the choice
    assert _slots(events)["candidates"] is None


async def test_a_no_answer_reply_carries_the_outcome_field(knowledge_down: None) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerMatter().run(dispatcher, make_tracker("驾照快到期了怎么换", "ask_matter"), {})
    assert dispatcher.messages[0]["outcome"] == "none"


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ("location", "【新生儿出生一件事】在西侧大厅10-12号窗口办理（包含事项：出生登记"),
        ("time_limit", "【新生儿出生一件事】承诺5个工作日办结"),
        ("online", "https://zwfw.changchun.gov.cn/sample/theme-newborn"),
        ("visits", "1. 出生登记：最多跑一次"),
        ("fee", "2. 城乡居民基本医疗保险参保登记："),
    ],
)
async def test_a_theme_service_answers_the_element_asked(
    recorded_knowledge: list, element: str, expected: str
) -> None:
    """Set 30: "退休那一件事最多跑几次" got the theme's overview whatever was asked; what the theme
    record holds is answered from it, the rest from each of its matters, each named."""
    dispatcher = CollectingDispatcher()
    events = await answer_record(KnowledgeClient(), dispatcher, "theme", "theme-newborn", element)
    assert expected in _texts(dispatcher)
    assert _slots(events)["answered_element"] == element
    if element in ("visits", "fee"):  # every matter of the theme is named
        for name in ("出生登记", "城乡居民基本医疗保险参保登记", "社会保障卡申领"):
            assert name in _texts(dispatcher)


async def test_a_theme_asked_nothing_in_particular_gets_its_overview(recorded_knowledge: list) -> None:
    dispatcher = CollectingDispatcher()
    events = await answer_record(KnowledgeClient(), dispatcher, "theme", "theme-newborn", "overview")
    assert "包含事项：出生登记、城乡居民基本医疗保险参保登记、社会保障卡申领" in _texts(dispatcher)
    assert _slots(events)["answered_element"] == "overview"


@pytest.mark.parametrize(
    ("text", "element", "answered"),
    [
        ("孩子刚生的，新生儿那个一件事能一块办吗", "conditions", "overview"),  # sets 34 and 35
        ("有没有能一次办完的", "visits", "overview"),
        ("新生儿那个一件事最多跑几次", "visits", "visits"),
        ("一起办的那个一件事，流程是啥样的", "process", "process"),  # set 30
    ],
)
async def test_asking_to_do_things_together_asks_what_the_theme_is(
    recorded_knowledge: list, text: str, element: str, answered: str
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, "ask_matter")
    events = await answer_record(KnowledgeClient(), dispatcher, "theme", "theme-newborn", element, tracker)
    assert _slots(events)["answered_element"] == answered
