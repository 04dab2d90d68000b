"""The object and action match features on the sample catalog: an action counts for a record
only when said about the record's object, and a bundle question favours a theme (issue #13)."""

from __future__ import annotations

import pytest

from knowledge.retrieval.engine import HybridSearcher, fuse
from knowledge.retrieval.evaluate import protocol_searcher


@pytest.fixture(scope="module")
def searcher() -> HybridSearcher:
    return protocol_searcher("alias-free")


def _matches(searcher: HybridSearcher, question: str) -> dict[str, dict[str, float]]:
    """Each match feature by record name, over every record (not only the retrieved ones)."""
    raw = searcher._matches(searcher.corrector.correct(question), set(range(len(searcher.docs))))
    return {part: {searcher.docs[row].name: value for row, value in rows.items()} for part, rows in raw.items()}


def test_the_asked_action_of_the_named_object_is_favoured(searcher: HybridSearcher) -> None:
    found = _matches(searcher, "驾照丢了怎么办")
    assert found["object"]["机动车驾驶证遗失补证"] == 1.0
    assert found["action"]["机动车驾驶证遗失补证"] == 1.0
    assert found["action"]["机动车驾驶证期满换证"] == -1.0
    assert "普通护照补发" not in found["action"]  # its object is not named


def test_an_action_said_apart_from_the_object_is_no_evidence(searcher: HybridSearcher) -> None:
    found = _matches(searcher, "我那个个体户原来是我爸的名字，现在他年纪大了想换成我来经营，是不是要先注销啊")
    assert found["object"]["个体工商户注销登记"] == 1.0
    assert "个体工商户注销登记" not in found["action"] and "个体工商户变更登记" not in found["action"]


def test_a_related_action_is_not_held_against_a_record(searcher: HybridSearcher) -> None:
    found = _matches(searcher, "食品经营许可证快到期了")
    assert "食品经营许可延续" not in found["action"]  # 到期了: 换领 or 延续


def test_a_bundle_question_favours_themes_over_single_matters(searcher: HybridSearcher) -> None:
    found = _matches(searcher, "公司关了，执照税务社保都要注销，能一起办吗")
    themes = {d.name for d in searcher.docs if d.kind == "theme"}
    assert found["action"]["企业注销一件事"] == 1.0
    # the matters whose object is named (执照, 社保) are single parts of the bundle
    singles = {name: value for name, value in found["action"].items() if name not in themes}
    assert singles and set(singles.values()) == {-1.0}
    assert searcher.search("公司关了，执照税务社保都要注销，能一起办吗").hits[0].doc.name == "企业注销一件事"


def test_the_said_purpose_tells_apart_matters_of_one_object_and_action(searcher: HybridSearcher) -> None:
    found = _matches(searcher, "公积金里的钱想取出来还这个月的商贷月供")
    assert found["purpose"]["住房公积金偿还贷款提取"] == 1.0
    assert found["purpose"]["住房公积金租房提取"] == -1.0  # another purpose of the same object
    assert "住房公积金个人贷款申请" not in found["purpose"]  # its name says no purpose
    assert "机动车驾驶证期满换证" not in found["purpose"]  # its object is not named
    assert searcher.search("公积金里的钱想取出来还这个月的商贷月供").hits[0].doc.name == "住房公积金偿还贷款提取"


def test_a_place_is_found_by_what_one_does_there(searcher: HybridSearcher) -> None:
    found = _matches(searcher, "孩子饿了要喂奶，有地方吗")
    assert found["object"] == {"母婴休息室": 1.0}
    assert searcher.search("孩子饿了要喂奶，有地方吗").hits[0].doc.name == "母婴休息室"


def test_themes_asked_as_a_bundle_are_told_apart_by_their_subject(searcher: HybridSearcher) -> None:
    found = _matches(searcher, "我想开个饭馆，要办的证能不能一次办齐")
    assert found["object"].get("开饭店一件事") == 1.0 and "新生儿出生一件事" not in found["object"]
    # unasked for a bundle, a theme's subject is no evidence: 退休 names a single matter's question too
    assert "退休一件事" not in _matches(searcher, "我妈刚到退休年龄，养老金怎么开始领")["object"]


def test_a_facility_is_read_as_asked_not_as_rewritten(searcher: HybridSearcher) -> None:
    # the sound-alike rewrite hears 去检车 as 取件车; the pickup area must not be matched on that
    raw = searcher.retrieve("车开了七年了，今年还要去检车领那个标吗", depth=50)
    assert all(searcher.docs[row].kind != "place" for row in raw["object"])


def test_the_question_covered_by_the_first_record_is_measured(searcher: HybridSearcher) -> None:
    inside = searcher.search("驾照丢了怎么补办").features
    outside = searcher.search("学位英语考试什么时候报名").features
    assert inside["coverage"] > 0.5 > outside["coverage"]
    assert inside["known"] == 1.0 and outside["known"] < 0.5  # 英语, 考试 are words of no record


def test_a_bare_object_is_asked_about_never_answered_nor_dropped(searcher: HybridSearcher) -> None:
    bare = searcher.search("护照在哪个窗口办")
    assert bare.features["specific"] == 0.0 and bare.features["bare"] == 1.0 and bare.decision == "ask"
    assert bare.hits[0].doc.name.startswith("普通护照")
    assert searcher.search("护照丢了怎么补办").features["specific"] == 1.0


def test_a_place_asked_for_by_its_use_takes_no_place_discount(searcher: HybridSearcher) -> None:
    raw = searcher.retrieve("孩子饿了要喂奶，有地方吗", depth=50)
    nursing = next(row for row, doc in enumerate(searcher.docs) if doc.name == "母婴休息室")
    fused, _ = fuse(raw, searcher.fusion, searcher.kinds)
    discounted = {**raw, "object": {}}  # the same question without the facility said
    plain, _ = fuse(discounted, searcher.fusion, searcher.kinds)
    weight = searcher.fusion.weights["object"]
    assert fused[nursing] > plain[nursing] + weight  # the match, and no 0.7 on the whole score


def test_an_action_beside_the_object_is_no_evidence_when_the_records_own_is_said(searcher: HybridSearcher) -> None:
    # 卖房 is what is entrusted; the question asks for the 公证 of the entrustment
    found = _matches(searcher, "我人在外地回不来，想让我弟替我卖房，得做什么公证")
    assert found["object"]["委托公证"] == 1.0 and "委托公证" not in found["action"]


def test_a_kind_of_the_records_object_counts_half_and_only_as_the_one_thing_named(searcher: HybridSearcher) -> None:
    """公司 is a kind of 企业: "公司不干了，简易注销得多久" once got 企业普通注销登记, its 简易 unread."""
    found = _matches(searcher, "公司不干了，简易注销得多久")
    assert found["object"]["企业简易注销登记"] == 0.5 and found["action"]["企业简易注销登记"] == 0.5
    assert found["purpose"]["企业简易注销登记"] == 1.0 and found["purpose"]["企业普通注销登记"] == -1.0
    assert searcher.search("公司不干了，简易注销得多久").hits[0].doc.name == "企业简易注销登记"
    # beside another thing named, the kind says nothing: the 清税证明 is asked for
    assert "企业简易注销登记" not in _matches(searcher, "公司要注销了，先开清税证明")["object"]


def test_a_purpose_ruled_out_is_not_said(searcher: HybridSearcher) -> None:
    found = _matches(searcher, "公司有债务，不符合简易注销，只能走一般程序注销，要多久")
    assert found["purpose"]["企业普通注销登记"] == 1.0 and found["purpose"]["企业简易注销登记"] == -1.0


def test_a_named_office_favours_its_departments_records(searcher: HybridSearcher) -> None:
    """"派出所开的那种" once got the notary's 无犯罪记录公证 before the police's certificate."""
    question = "新单位让我开个没有犯罪记录的证明，派出所开的那种，去哪开"
    found = _matches(searcher, question)
    assert found["agency"]["无犯罪记录证明开具"] == 1.0
    assert "无犯罪记录公证" not in found["agency"]
    assert searcher.search(question).hits[0].doc.name == "无犯罪记录证明开具"
    assert searcher.reading(question)["agencies"] == ("户政",)


def test_the_window_of_what_is_done_there_is_the_place_holding_its_windows(searcher: HybridSearcher) -> None:
    """"办身份证、户口那些的窗口在哪边" once got a 户口 matter; "契税在哪个窗口交" stays the matter's."""
    question = "办身份证、户口那些的窗口在哪边，从门口怎么走？"
    assert _matches(searcher, question)["object"]["户政窗口"] == 1.0
    assert searcher.search(question).hits[0].doc.key == "place:hz-windows"
    assert "户政窗口" not in _matches(searcher, "身份证在哪个窗口办")["object"]
    # naming no object, by the action done there
    assert searcher.search("水电气报装的窗口在哪").hits[0].doc.key == "place:sz-windows"
    assert searcher.search("开公司那个窗口在哪").hits[0].doc.key == "place:qy-windows"


def test_an_office_asked_for_is_the_place_serving_it(searcher: HybridSearcher) -> None:
    """"另外 公正处在哪" once got a choice of 公证 matters: the 公证窗口 serves the 公证处."""
    assert searcher.search("另外 公证处在哪").hits[0].doc.key == "place:gz-windows"
    # the office's written word is what a question is about, not where: no office is named
    assert searcher.reading("执照注销、税务清税这些能一起办吗")["agencies"] == ()
