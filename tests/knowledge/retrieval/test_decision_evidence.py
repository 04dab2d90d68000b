"""Evidence against answering that no confidence outweighs (issue #13, unanswerable questions):
an object the catalog has no record about, a first record holding none of the question's words,
and a theme though no bundle is asked."""

from __future__ import annotations

import pytest

from knowledge.retrieval.documents import SearchDoc
from knowledge.retrieval.engine import Hit, HybridSearcher, SearchResult
from knowledge.retrieval.evaluate import protocol_searcher


@pytest.fixture(scope="module")
def searcher() -> HybridSearcher:
    return protocol_searcher("full")


def _result(confidence: float, **features: float) -> SearchResult:
    doc = SearchDoc("matter", "m1", "某事项", (), ("某事项",), "某事项", "某事项")
    return SearchResult("问", [Hit(doc, 1.0, {})], confidence, 0.5, {"carried": 1.0, "coverage": 0.5, **features})


def test_a_confident_result_is_answered_unless_evidence_speaks_against_it() -> None:
    assert _result(0.95).decision == "answer"
    assert _result(0.95, carried=0.0).decision == "ask"
    assert _result(0.95, coverage=0.0).decision == "ask"
    assert _result(0.95, unasked_theme=1.0).decision == "ask"
    # the evidence only withholds an answer; a low confidence still says nothing was found
    assert _result(0.1, carried=0.0).decision == "none"


def test_an_unsure_search_for_a_thing_no_record_is_about_finds_nothing() -> None:
    """低保, 结婚登记: a choice of other objects' records would mislead; a bare object the catalog
    holds (公积金) still gets its choice."""
    assert _result(0.4, carried=0.0).decision == "none"
    assert _result(0.05, carried=0.0, bare=1.0).decision == "none"
    assert _result(0.05, carried=1.0, bare=1.0).decision == "ask"
    assert _result(0.4).decision == "ask"


@pytest.mark.parametrize("text", ["低保怎么申请", "结婚登记在哪办", "养狗的狗证怎么办"])
def test_matters_the_catalog_lacks_get_no_choice(searcher: HybridSearcher, text: str) -> None:
    assert searcher.search(text).decision == "none"


def test_a_question_about_a_thing_no_record_is_about_is_not_answered(searcher: HybridSearcher) -> None:
    # the sample catalog has no tobacco licence; its food licence is close in words
    result = searcher.search("开个小超市，想办烟草证")
    assert result.features["carried"] == 0.0
    assert result.decision != "answer"


def test_a_thing_the_catalog_holds_is_carried(searcher: HybridSearcher) -> None:
    result = searcher.search("驾照丢了怎么补办")
    assert result.features["carried"] == 1.0 and result.features["said_action"] == 1.0
    assert result.decision == "answer"


def test_the_first_records_action_said_outweighs_an_object_the_catalog_names_otherwise(
    searcher: HybridSearcher,
) -> None:
    # the lexicon reads 毕业证书, the catalog's record is about 学历; 公证 is what is asked
    result = searcher.search("毕业证出国要用，想去做个公证")
    assert result.hits[0].doc.action == "公证"
    assert result.features["carried"] == 1.0


def test_an_action_the_record_does_not_do_is_evidence_against_it(searcher: HybridSearcher) -> None:
    row = next(r for r, d in enumerate(searcher.docs) if d.name == "学历学位公证")
    # nothing in the question is the notarisation's object, and 考试 / 报名 is not what it does
    assert searcher._lexicon_evidence("英语四级考试什么时候报名", row)["said_action"] == 0.0
    assert searcher._lexicon_evidence("毕业证出国要用，想去做个公证", row)["said_action"] == 1.0


def test_a_sound_alike_rewrite_does_not_cut_a_question_frame_or_rewrite_a_lexicon_word(
    searcher: HybridSearcher,
) -> None:
    # 证去 sounds like 政区, but 去哪里 is a frame; 卖烟许可证 is a lexicon word (烟许 sounds like 延续)
    assert searcher.corrector.correct("办好的证去哪里拿") == "办好的证去哪里拿"
    assert searcher.corrector.correct("卖烟许可证去哪里办") == "卖烟许可证去哪里办"
    # true sound-alikes are still heard
    assert searcher.corrector.correct("测所在哪里") == "厕所在哪里"
    assert searcher.corrector.correct("社宝卡丢了") == "社保卡丢了"


def test_an_action_without_an_object_shared_by_several_records_is_asked(searcher: HybridSearcher) -> None:
    """公证 alone fits 出生, 学历 and 无犯罪记录 notarisations alike: no confident answer (it was
    answered 出生公证 at 0.77). Naming the object answers."""
    bare = searcher.search("出国用的话还要公证吧，公证去哪办")
    assert bare.features["bare_action"] == 1.0 and bare.decision == "ask"
    assert bare.objects == () and bare.reading["actions"] == ("公证",)
    named = searcher.search("出生公证要带什么")
    assert named.features["bare_action"] == 0.0 and named.decision == "answer"
    assert searcher.search("身份证丢了怎么补").objects == ("居民身份证",)


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("我是首套房，契税优惠要啥条件", "policy:pol-deed-tax-home-purchase"),
        ("还有创业贷款的利息能补贴吗", "policy:pol-startup-loan-interest"),
    ],
)
def test_a_benefit_asked_of_a_matters_object_finds_the_policy(searcher: HybridSearcher, text: str, policy: str) -> None:
    """契税 is also the object of 契税申报缴纳; asking for its 优惠 asks for the policy."""
    assert searcher.search(text).hits[0].doc.key == policy


def test_the_procedure_is_still_found_when_no_benefit_is_asked(searcher: HybridSearcher) -> None:
    assert searcher.search("契税怎么交").hits[0].doc.key == "matter:sw-deed-tax-declaration"
    assert searcher.search("创业担保贷款怎么申请").hits[0].doc.key == "matter:jy-startup-guarantee-loan"


def test_an_action_without_an_object_is_answered_when_the_other_words_decide(searcher: HybridSearcher) -> None:
    """电 is no lexicon object, but "电报装" leads 用水报装 and 供热报装 clearly (the bot builds it
    from "电呢" after 用水报装); likewise 我爸走了 … 公证 is 继承公证."""
    result = searcher.search("电报装")
    assert result.hits[0].doc.name == "用电报装" and result.decision == "answer"
    assert searcher.search("我爸走了，银行说要先做个公证才能取他的存款").decision == "answer"


@pytest.mark.parametrize(
    ("text", "record"),
    [
        ("家里老人刚走，后面那一堆手续能不能一次办", "theme:theme-after-death"),  # not 退休一件事
        ("证办好了能不能免费寄到家里", "place:postal-window"),
        ("房贷还完了，怎么把房本上的抵押去掉", "matter:bdc-mortgage-cancel"),
    ],
)
def test_what_a_theme_or_a_place_is_about_named_finds_it(searcher: HybridSearcher, text: str, record: str) -> None:
    assert searcher.search(text).hits[0].doc.key == record


def test_an_action_with_words_of_the_records_name_is_no_bare_action(searcher: HybridSearcher) -> None:
    """台湾 is no lexicon object, but names 往来台湾通行证: "台湾申领" (the bot's reading of "台湾的呢"
    after 港澳通行证首次申领) is answered, not asked."""
    result = searcher.search("台湾申领")
    assert result.features["bare_action"] == 0.0 and result.decision == "answer"
    assert result.hits[0].doc.key == "matter:crj-tw-permit-issue"
