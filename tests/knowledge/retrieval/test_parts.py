"""The lexical, phonetic and entity parts on their own."""

from __future__ import annotations

import pytest

from catalog.loader import load_catalog
from knowledge.retrieval import text
from knowledge.retrieval.entities import EntityFinder
from knowledge.retrieval.lexical import BM25
from knowledge.retrieval.phonetic import PhoneticIndex, SoundAlikeCorrector


def test_stop_words_never_reach_the_index() -> None:
    tokens = text.tokens("请问一下，我想办理申请那个公积金提取需要什么？")
    assert "公积金" in tokens and "提取" in tokens
    assert not {"办理", "申请", "请问", "什么", "那个", "一下"} & set(tokens)


def test_bm25_words_in_every_document_weigh_nothing_next_to_rare_ones() -> None:
    docs = [text.tokens(t) for t in ["公积金 购房 提取", "公积金 租房 提取", "公积金 退休 提取", "社保卡 挂失"]]
    bm25 = BM25(docs)
    assert bm25.idf("提取") < bm25.idf("租房") / 2
    top = bm25.top(text.tokens("租房提取公积金"), 2)
    assert top[0][0] == 1


def test_pinyin_hears_homophones() -> None:
    index = PhoneticIndex(
        [["社会保障卡申领", "社保卡"], ["住房公积金租房提取", "公积金租房"], ["不动产权证书补发", "房产证丢了"]]
    )
    assert index.top("社宝卡怎么办", 1)[0][0] == 0
    assert index.top("公鸡金租房怎么提", 1)[0][0] == 1
    assert index.top("我的不动铲权证书丢了", 1)[0][0] == 2
    assert index.coverage("社宝卡", 0) == pytest.approx(1.0)


def test_accent_folding_joins_flat_and_curled_initials() -> None:
    assert text.syllables("驾驶证") == text.syllables("驾使证")
    assert text.syllables("驾驶证") == text.syllables("驾四正")  # flat-tongue accent: shi → si
    assert text.fuzzy_syllable("zhang") == text.fuzzy_syllable("zan")


def test_entity_ruler_finds_catalog_names_aliases_places_and_departments() -> None:
    catalog = load_catalog()
    finder = EntityFinder(catalog)
    matter = catalog.matter_by_name("机动车驾驶证期满换证")
    assert matter is not None
    found = finder.find(f"我想问{matter.name}要带什么，在西侧大厅吗，找车管")
    keys = {(e.label, e.key) for e in found}
    assert ("MATTER", f"matter:{matter.id}") in keys
    assert ("PLACE", "place:west-hall") in keys
    assert ("DEPARTMENT", "department:cg") in keys
    alias = matter.aliases[0]
    assert any(e.key == f"matter:{matter.id}" and e.text == alias for e in finder.find(f"你好{alias}怎么弄"))


def test_building_twice_segments_the_same() -> None:
    # regression: jieba adds each add_word's frequency to its total, so a second searcher in
    # the same process used to segment (and so rank) differently from the first
    import jieba

    from knowledge.retrieval.evaluate import load_questions

    catalog = load_catalog()
    EntityFinder(catalog)
    total = jieba.dt.total
    before = [text.tokens(q.q) for q in load_questions()]
    EntityFinder(catalog)
    EntityFinder(catalog)
    assert jieba.dt.total == total
    assert [text.tokens(q.q) for q in load_questions()] == before


def test_function_words_are_not_rewritten_as_sound_alikes() -> None:
    corrector = SoundAlikeCorrector(["能补", "护照"], lambda _: 0, keep=text.STOP_WORDS)
    assert corrector.correct("能不能办") == "能不能办"  # 能不 sounds like 能补
    assert corrector.correct("互照") == "护照"


def test_bm25_knows_which_document_holds_a_token() -> None:
    bm25 = BM25([["驾照", "补领"], ["护照"], ["驾照", "换领"]])
    assert bm25.contains("驾照", 0) and bm25.contains("驾照", 2) and not bm25.contains("驾照", 1)
    assert not bm25.contains("英语", 0)
    assert bm25.rarest_idf > bm25.idf("驾照") > 0
