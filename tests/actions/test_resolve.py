"""The one answer / ask / none decision (actions/resolve.py)."""

from __future__ import annotations

from typing import Any

from actions.resolve import MIN_MARGIN, SURE, Resolution, decide, offered_in_words


def _hits(*names: str) -> list[dict[str, Any]]:
    return [{"kind": "matter", "id": f"m{i}", "name": name} for i, name in enumerate(names)]


PASSPORTS = _hits("普通护照补发", "普通护照签发", "普通护照换发")


def test_a_small_margin_asks_even_when_the_search_would_answer() -> None:
    # measured: "护照" answered 普通护照补发 at 0.77 with a margin of 0.056
    assert decide("办护照要什么", "answer", PASSPORTS, 0.77, MIN_MARGIN / 2).outcome == "ask"
    assert decide("办护照要什么", "answer", PASSPORTS, 0.77, MIN_MARGIN * 2).outcome == "answer"


def test_a_sure_search_answers_despite_a_small_margin() -> None:
    loans = _hits("创业担保贷款申请", "创业担保贷款贴息", "高校毕业生一次性求职创业补贴")
    assert decide("什么条件可以申请创业担保贷款", "answer", loans, 0.95, 0.039).outcome == "answer"
    assert decide("创业担保贷款", "answer", loans, SURE - 0.01, 0.039).outcome == "ask"


def test_a_bare_object_with_several_matters_asks() -> None:
    licences = _hits("机动车驾驶证遗失补证", "机动车驾驶证期满换证", "机动车驾驶证审验")
    assert decide("驾照", "answer", licences, 0.81, 0.17).outcome == "ask"
    assert decide("驾照在哪办", "answer", licences, 0.81, 0.17).outcome == "answer"


def test_a_short_message_whose_first_record_leads_clearly_is_no_bare_object() -> None:
    injury = _hits("工伤认定申请", "高新技术企业认定奖励")
    assert decide("工伤认定", "answer", injury, 0.99, 0.78, reading={"actions": ("认定",)}).outcome == "answer"
    said = {"actions": ("补领",), "objects": ("普通护照",)}
    assert decide("护照补办", "answer", PASSPORTS, 0.99, 0.66, reading=said).outcome == "answer"
    # "生于津贴" (生育津贴 misheard) once got a choice of three: the lexicon reads nothing in it
    allowance = _hits("生育津贴申领", "出生公证", "创业担保贷款贴息")
    assert decide("生于津贴", "answer", allowance, 0.97, 0.66).outcome == "answer"
    # a place leads only when its facility or office is named: "办公正" (办公证 misheard) is any notarization
    places = [{"kind": "place", "id": "gz-windows", "name": "公证窗口"}, *_hits("学历学位公证", "委托公证")]
    assert decide("办公正", "answer", places, 0.88, 0.52).outcome == "ask"
    toilet = [{"kind": "place", "id": "toilet", "name": "卫生间"}, *_hits("出生登记")]
    assert decide("厕所", "answer", toilet, 0.9, 0.6, reading={"facilities": ("卫生间",)}).outcome == "answer"
    # several records of what it names are still a choice, whatever the lead
    invoices = _hits("代开增值税发票", "发票领用", "科技型中小企业研发投入补助")
    assert decide("开发票", "answer", invoices, 0.96, 0.64, reading={"objects": ("发票",)}).outcome == "ask"
    # an action between two matters of one object is still a choice
    moves = _hits("户口迁出登记", "户口迁入登记")
    assert decide("户口迁移", "answer", moves, 0.99, 0.37, reading={"actions": ("迁出",)}).outcome == "ask"
    # unless it says the action of the first alone (set 15: "那户口迁出呢" once got a choice)
    assert decide("那户口迁出呢", "answer", moves, 0.99, 0.34, reading={"actions": ("迁出",)}).outcome == "answer"


def test_a_bare_record_name_is_answered() -> None:
    assert decide("出生登记", "answer", _hits("出生登记", "户口迁入登记"), 0.9, 0.5).outcome == "answer"


def test_ask_and_none_pass_through() -> None:
    assert decide("公积金", "ask", PASSPORTS, 0.38, 0.12).outcome == "ask"
    assert decide("讲个笑话", "none", [], 0.0, 0.0).outcome == "none"


def test_a_query_that_carries_the_action_in_context_is_not_a_bare_object() -> None:
    # "那护照呢" after a reissue searches 护照补领: four characters, but not under-specified
    assert decide("护照补领", "answer", PASSPORTS, 0.99, 0.3).outcome == "ask"
    assert decide("护照补领", "answer", PASSPORTS, 0.99, 0.3, carried=True).outcome == "answer"


FLEXIBLE_CHOICE = [
    "matter:sb-flexible-pension:灵活就业人员养老保险参保登记",
    "theme:flexible-employment:灵活就业一件事",
    "policy:pol-flexible-employment-si-subsidy:灵活就业人员社会保险补贴",
]


def test_a_message_naming_no_object_picks_the_one_offered_record_with_its_words() -> None:
    """Set 26: "有补贴没有" right after 灵活就业's choice means its subsidy, not any subsidy."""
    nothing_named = Resolution("answer", _hits("职业技能培训补贴申领"), 0.9, 0.1, {"benefits": ("补贴",)})
    assert offered_in_words("有补贴没有", FLEXIBLE_CHOICE, nothing_named) == FLEXIBLE_CHOICE[2]


def test_an_object_of_its_own_or_words_of_several_offers_pick_nothing() -> None:
    named = Resolution("answer", _hits("医疗保险参保登记"), 0.9, 0.1, {"objects": ("医疗保险",)})
    assert offered_in_words("医保补贴有没有", FLEXIBLE_CHOICE, named) is None
    nothing_named = Resolution("ask", _hits("灵活就业一件事"), 0.5, 0.0, {})
    assert offered_in_words("灵活就业的呢", FLEXIBLE_CHOICE, nothing_named) is None  # all three say 灵活就业
    # a ticket offer is answered yes or no, never by its words
    assert offered_in_words("登记反映吧", ["complaint:offer:登记反映"], nothing_named) is None
