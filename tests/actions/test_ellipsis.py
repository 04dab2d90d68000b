"""Elliptical questions ("那行驶证呢"): the same question about a new topic (actions/matters.py)."""

from __future__ import annotations

from actions.resolve import Resolution, _pick_reading, _shares_object, carried_queries, previous_intent
from tests.actions.conftest import make_tracker


def test_an_elliptical_topic_is_read_as_a_new_object_or_a_new_action() -> None:
    licence = {"object": "机动车驾驶证", "action": "补领"}
    # 那行驶证呢: a new object with the action in context first, then as a new action
    readings = [("行驶证补领", False), ("机动车驾驶证行驶证", True), ("行驶证", False)]
    assert carried_queries("行驶证", licence) == readings
    # 那注销呢 after 个体工商户设立登记: the object in context with the new action
    assert ("个体工商户注销", True) in carried_queries("注销", {"object": "个体工商户", "action": "登记"})
    assert carried_queries("行驶证", None) == [("行驶证", False)]  # the service runs without the lexicon
    assert carried_queries("驾驶证", {"object": "驾驶证", "action": None}) == [("驾驶证", False)]
    # a phrase says its own action: searched as it is first
    phrase = carried_queries("房本旧了想换新的", {"object": "不动产权证书", "action": "补发"})
    assert phrase[0] == ("房本旧了想换新的", False)


def test_the_previous_question_is_the_user_message_before_the_latest() -> None:
    tracker = make_tracker("那行驶证呢", "ask_matter")
    assert previous_intent(tracker) is None  # nothing asked before
    for text, intent in (("驾照丢了怎么补", "ask_process"), ("那行驶证呢", "ask_matter")):
        tracker.events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}})
    assert previous_intent(tracker) == "ask_process"
    # a chain of elliptical questions keeps asking what the last full question asked
    tracker.events.append({"event": "user", "text": "那护照呢", "parse_data": {"intent": {"name": "ask_matter"}}})
    assert previous_intent(tracker) == "ask_process"


def _found(
    outcome: str, record_id: str, name: str, reading: dict[str, tuple[str, ...]] | None = None
) -> Resolution:
    """A search that found one matter, with what its lexicon read in the query."""
    return Resolution(outcome, [{"kind": "matter", "id": record_id, "name": name}], 0.9, 0.5, reading or {})


def test_the_reading_acted_on_is_the_same_object_with_the_new_action() -> None:
    # "那注销呢" after 个体工商户设立登记: 注销登记 alone finds a company's deregistration
    readings = [
        ("注销登记", _found("answer", "qy-dereg", "企业普通注销登记"), False),
        ("个体工商户注销", _found("answer", "qy-ind-dereg", "个体工商户注销登记"), True),
        ("注销", _found("ask", "qy-dereg", "企业普通注销登记"), False),
    ]
    context = {"object": "个体工商户", "action": "登记"}
    assert _pick_reading(readings, context, "注销", "qy-ind-reg", {})[0] == "个体工商户注销"
    # "那行驶证呢" after 驾驶证补领: the object-with-topic reading found the old object's record
    readings = [
        ("行驶证补领", _found("answer", "cg-vl-reissue", "机动车行驶证补领"), False),
        ("机动车驾驶证行驶证", _found("answer", "cg-renewal", "机动车驾驶证期满换证"), True),
    ]
    context = {"object": "机动车驾驶证", "action": "补领"}
    assert _pick_reading(readings, context, "行驶证", "cg-reissue", {})[0] == "行驶证补领"


def test_a_new_action_said_in_everyday_words_is_read_with_the_object_in_context() -> None:
    # "那旧本子换个新的呢" after 不动产权证书补发: 换个新 is 换领, the action 不动产权证书换发 is named with
    replace = _found("answer", "bdc-replace", "不动产权证书换发", {"actions": ("换领",), "objects": ("不动产权证书",)})
    readings = [
        ("旧本子换个新", _found("answer", "crj-renewal", "普通护照换发"), False),
        ("不动产权证书旧本子换个新", replace, True),
    ]
    found = {"不动产权证书旧本子换个新": {"object": "不动产权证书", "action": "换领"}}
    context = {"object": "不动产权证书", "action": "补领"}
    assert _pick_reading(readings, context, "旧本子换个新", "bdc-reissue", found)[0] == "不动产权证书旧本子换个新"
    # without the lexicon's reading the everyday words are no evidence, and the bare reading stands
    assert _pick_reading(readings, context, "旧本子换个新", "bdc-reissue", {})[0] == "旧本子换个新"


def test_a_record_of_the_object_in_context_may_shorten_it() -> None:
    assert _shares_object("无犯罪记录证明", "无犯罪记录公证")  # 无犯罪记录
    assert _shares_object("居住证", "居住证签注")
    assert not _shares_object("机动车驾驶证", "普通护照换发")


def test_a_new_action_reading_naming_another_object_is_no_reading_of_the_object_in_context() -> None:
    # "那行驶证丢了补呢" after 驾驶证期满换证: 补领 is said, but of the 行驶证
    reading = {"actions": ("补领",), "objects": ("机动车驾驶证", "机动车行驶证")}
    reissue = _found("answer", "cg-reissue", "机动车驾驶证遗失补证", reading)
    readings = [
        ("行驶证丢了补期满换证", _found("answer", "cg-vl-reissue", "机动车行驶证补领"), False),
        ("机动车驾驶证行驶证丢了补", reissue, True),
    ]
    found = {"机动车驾驶证行驶证丢了补": {"object": "机动车驾驶证", "action": "补领"}}
    context = {"object": "机动车驾驶证", "action": "换领"}
    chosen = _pick_reading(readings, context, "行驶证丢了补", "cg-renewal", found)
    assert chosen[0] == "行驶证丢了补期满换证"


def test_the_object_in_context_is_kept_as_the_lexicon_reads_the_records_name() -> None:
    # "牵出呢" (迁出 heard wrong) after 户口迁入登记: 户口迁出登记 is of 户籍, though its name says 户口
    # the search hears 牵出 as 迁出
    move_out = _found("answer", "hz-out", "户口迁出登记", {"objects": ("户籍",), "actions": ("迁出",)})
    readings = [
        ("牵出迁入", _found("answer", "hz-in", "户口迁入登记"), False),
        ("户籍牵出", move_out, True),
        ("牵出", _found("ask", "hz-out", "户口迁出登记"), False),
    ]
    found = {"户籍牵出": {"object": "户籍", "action": "迁出"}}
    context = {"object": "户籍", "action": "迁入"}
    assert _pick_reading(readings, context, "牵出", "hz-in", found)[0] == "户籍牵出"


def test_a_topic_saying_its_own_action_is_not_read_with_the_old_one() -> None:
    # "居住证签住呢" after 临时身份证申领: 签住 is heard as 签注, so 居住证签住申领 is no reading
    readings = [
        ("居住证签住申领", _found("answer", "hz-rp", "居住证申领"), False),
        ("居住证签住", _found("answer", "hz-rpe", "居住证签注", {"actions": ("签注",)}), False),
    ]
    context = {"object": "临时居民身份证", "action": "申领"}
    assert _pick_reading(readings, context, "居住证签住", "hz-temp", {})[0] == "居住证签住"


def test_a_topic_saying_the_same_action_is_still_read_with_it() -> None:
    # "那驾照丢了呢" after 身份证补领: 丢了 is 补领 too, and "驾照丢了补领" is the reading to act on
    readings = [
        ("驾照丢了补领", _found("answer", "cg-reissue", "机动车驾驶证遗失补证"), False),
        ("驾照丢了", _found("ask", "cg-reissue", "机动车驾驶证遗失补证", {"actions": ("补领",)}), False),
    ]
    context = {"object": "居民身份证", "action": "补领"}
    assert _pick_reading(readings, context, "驾照丢了", "hz-reissue", {})[0] == "驾照丢了补领"


def test_a_new_action_ending_the_action_in_context_keeps_the_matter_family() -> None:
    # "还完贷了注销呢" after 不动产抵押登记: 抵押权注销登记 is of 抵押权, but it ends the 抵押
    cancel = _found("answer", "bdc-cancel", "抵押权注销登记", {"actions": ("注销",)})
    readings = [
        ("还完贷了注销抵押", _found("ask", "bdc-cancel", "抵押权注销登记"), False),
        ("不动产还完贷了注销", cancel, True),
        ("还完贷了注销", _found("ask", "qy-dereg", "企业普通注销登记"), False),
    ]
    found = {"不动产还完贷了注销": {"object": "抵押权", "action": "注销"}}
    context = {"object": "不动产", "action": "抵押"}
    assert _pick_reading(readings, context, "还完贷了注销", "bdc-mortgage", found)[0] == "不动产还完贷了注销"


def test_a_reading_with_the_context_action_must_find_a_record_of_the_topic() -> None:
    # set 29: "户籍证明呢" after 身份证换领's fee; "户籍证明换领" found 居民身份证换领 by its action alone
    readings = [
        ("户籍证明换领", _found("answer", "hz-id-card-renewal", "居民身份证换领"), False),
        ("户籍证明", _found("answer", "hz-hukou-certificate", "户籍证明开具"), False),
    ]
    context = {"object": "居民身份证", "action": "换领"}
    assert _pick_reading(readings, context, "户籍证明", "hz-id-card-renewal", {})[0] == "户籍证明"


def test_of_the_records_a_reading_offers_the_one_that_holds_the_topic_is_meant() -> None:
    # set 32: "那电呢" after 用水报装's time limit offered 用水, 供热 and 用电报装
    hits = [
        {"kind": "matter", "id": "sz-water", "name": "用水报装"},
        {"kind": "matter", "id": "sz-heat", "name": "供热报装"},
        {"kind": "matter", "id": "sz-power", "name": "用电报装"},
    ]
    unsure = Resolution("ask", hits, 0.5, 0.01, {})
    readings = [("电报装", unsure, False), ("电", Resolution("ask", hits, 0.4, 0.01, {}), False)]
    query, resolution = _pick_reading(readings, {"object": "用水", "action": "报装"}, "电", "sz-water", {})
    assert resolution.outcome == "answer" and resolution.hits[0]["id"] == "sz-power"
    # several records holding the topic stay a choice
    both = Resolution("ask", [*hits, {"kind": "matter", "id": "sz-power-up", "name": "用电增容"}], 0.5, 0.01, {})
    assert _pick_reading([("电", both, False)], {}, "电", "sz-water", {})[1].outcome == "ask"


def test_both_readings_with_the_context_finding_one_sibling_record_decide() -> None:
    # set 34: "买房的呢" after 住房公积金租房提取 offered 户口迁入登记 and 契税 matters
    purchase = _found("answer", "gjj-purchase", "住房公积金购房提取")
    unsure = Resolution("ask", [{"kind": "matter", "id": "hz-move-in", "name": "户口迁入登记"}], 0.5, 0.01, {})
    readings = [("买房的提取", purchase, False), ("住房公积金买房的", purchase, True), ("买房的", unsure, False)]
    context = {"object": "住房公积金", "action": "提取"}
    query, resolution = _pick_reading(readings, context, "买房的", "gjj-rent", {})
    assert resolution.outcome == "answer" and resolution.hits[0]["id"] == "gjj-purchase"
    # readings that disagree, or agree on another object's record, decide nothing here
    other = _found("answer", "gjj-loan", "住房公积金个人贷款申请")
    split = [("买房的提取", purchase, False), ("住房公积金买房的", other, True), ("买房的", unsure, False)]
    assert _pick_reading(split, context, "买房的", "gjj-rent", {})[1].outcome == "ask"
    deed = _found("answer", "sw-deed", "契税申报缴纳")
    elsewhere = [("买房的提取", deed, False), ("住房公积金买房的", deed, True), ("买房的", unsure, False)]
    assert _pick_reading(elsewhere, context, "买房的", "gjj-rent", {})[1].outcome == "ask"


def test_of_the_records_offered_the_one_named_like_the_matter_in_context_is_meant() -> None:
    # sets 33 and 35: "验收呢" after 特殊建设工程消防设计审查 offered 联合验收 and 竣工验收备案
    def hit(record_id: str, name: str) -> dict[str, str]:
        return {"kind": "matter", "id": record_id, "name": name}

    joint, filing = hit("gg-joint", "工程建设项目联合验收"), hit("gg-filing", "房屋建筑和市政基础设施工程竣工验收备案")
    fire = hit("gg-fire-acceptance", "特殊建设工程消防验收")
    readings = [
        ("验收审批", Resolution("ask", [joint, filing], 0.6, 0.01, {}), False),
        ("验收", Resolution("ask", [joint, fire, filing], 0.8, 0.05, {}), False),
    ]
    context = {"object": "建设工程消防设计", "action": "审批"}
    design = "特殊建设工程消防设计审查"
    chosen = _pick_reading(readings, context, "验收", "gg-fire-design", {}, design)[1]
    assert chosen.outcome == "answer" and chosen.hits == [fire]
    # two records named about as much like it stay a choice
    fire_filing = hit("gg-fire-filing", "特殊建设工程消防验收备案")
    close = [("验收", Resolution("ask", [joint, fire, fire_filing], 0.8, 0.05, {}), False)]
    assert _pick_reading(close, context, "验收", "gg-fire-design", {}, design)[1].outcome == "ask"
