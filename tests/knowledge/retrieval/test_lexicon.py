"""The domain lexicon: loading, splitting official names into object + action, and expansion
both ways (catalog texts at index time, questions at query time)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog.loader import load_catalog
from knowledge.retrieval.documents import catalog_documents
from knowledge.retrieval.lexicon import BUNDLE, LEXICON_DIR, Lexicon, LexiconError

FIXTURE = Path(__file__).parent / "fixtures" / "lexicon"
NAMES = Path(__file__).resolve().parents[2] / "data" / "lexicon_names.tsv"


@pytest.fixture(scope="module")
def tiny() -> Lexicon:
    return Lexicon.load(FIXTURE)


@pytest.fixture(scope="module")
def shipped() -> Lexicon:
    return Lexicon.load(LEXICON_DIR)


def _parts(lexicon: Lexicon, name: str) -> tuple[str | None, str | None, str | None]:
    split = lexicon.split(name)
    return split.object, split.action, split.action_word


def test_split_finds_the_longest_object_and_the_action_after_it(tiny: Lexicon) -> None:
    assert _parts(tiny, "机动车驾驶证补领") == ("机动车驾驶证", "补领", "补领")
    assert _parts(tiny, "机动车驾驶证期满换证") == ("机动车驾驶证", "换领", "换证")
    # the longer object wins: a temporary card is another object, not 居民身份证
    assert _parts(tiny, "临时居民身份证申领") == ("临时居民身份证", "申领", "申领")
    assert _parts(tiny, "住房公积金购房提取") == ("住房公积金", "提取", "提取")


def test_a_name_the_lexicon_does_not_know_splits_at_its_action_word(tiny: Lexicon) -> None:
    split = tiny.split("渔业船舶登记证补发")
    assert (split.object, split.action, split.known_object) == ("渔业船舶登记证", "补领", False)
    assert tiny.split("出生登记").action is None


def test_catalog_texts_are_expanded_with_everyday_words(tiny: Lexicon) -> None:
    assert "驾照丢了" in tiny.everyday_texts("机动车驾驶证补领")
    words = tiny.everyday_words("机动车驾驶证补领")
    assert {"驾照", "丢了", "补发"} <= set(words)
    assert "到期了" not in words  # another action's words stay with that action


def test_questions_are_expanded_to_official_words(tiny: Lexicon) -> None:
    assert tiny.objects_in("驾照丢了怎么办") == ("机动车驾驶证",)
    assert tiny.actions_in("驾照丢了怎么办") == ("补领",)
    expanded = tiny.expand_query("驾照丢了怎么办")
    assert expanded.startswith("驾照丢了怎么办") and {"机动车驾驶证", "补领", "补发"} <= set(expanded.split())
    # near objects stay apart: the longer mention is read first
    assert tiny.objects_in("临时身份证在哪办") == ("临时居民身份证",)
    assert tiny.objects_in("身份证过期了") == ("居民身份证",)


def test_a_malformed_lexicon_is_refused_with_the_file_named(tmp_path: Path) -> None:
    (tmp_path / "objects.yml").write_text("objects:\n  - term: 护照\n    synonyms: 3\n    source: x\n")
    (tmp_path / "actions.yml").write_text("actions: []\n")
    with pytest.raises(LexiconError, match="objects.yml"):
        Lexicon.load(tmp_path)
    (tmp_path / "objects.yml").write_text("objects:\n  - term: 护照\n    synonyms: [本子]\n")
    with pytest.raises(LexiconError, match="source"):
        Lexicon.load(tmp_path)
    broader = "objects:\n  - term: 护照\n    synonyms: []\n    source: x\n    broader: 证件\n"
    (tmp_path / "objects.yml").write_text(broader)
    with pytest.raises(LexiconError, match="broader"):
        Lexicon.load(tmp_path)


def test_a_narrower_term_names_its_broader_one(shipped: Lexicon) -> None:
    assert shipped.broader("有限责任公司") == "企业"
    assert shipped.broader("城乡居民基本医疗保险") == "基本医疗保险"
    assert shipped.broader("企业") == ""


def test_every_shipped_entry_says_where_it_comes_from(shipped: Lexicon) -> None:
    assert len(shipped.objects) >= 100 and len(shipped.actions) >= 10
    assert all(o.source for o in shipped.objects) and all(a.source for a in shipped.actions)


def test_the_lexicon_names_no_record_of_the_sample_catalog() -> None:
    """It must work for catalogs never seen: no file may carry a record id of ours."""
    catalog = load_catalog()
    ids = set(catalog.matters) | set(catalog.policies) | set(catalog.themes) | set(catalog.places)
    for path in sorted(LEXICON_DIR.iterdir()):
        words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", path.read_text(encoding="utf-8")))
        assert not words & ids, (path.name, sorted(words & ids))


def test_official_names_split_as_written_in_lexicon_names_tsv(shipped: Lexicon) -> None:
    rows = [line.split("\t") for line in NAMES.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if len(r) >= 3 and not r[0].startswith("#")]
    assert len(rows) >= 100
    wrong = []
    for name, thing, action, *_ in rows:
        split = shipped.split(name)
        if (split.object or "", split.action or "") != (thing.strip(), action.strip()):
            wrong.append((name, thing, action, split.object, split.action))
    assert wrong == []


def test_sample_matters_without_aliases_get_expansions_from_their_names_alone(shipped: Lexicon) -> None:
    catalog = load_catalog()
    docs = {d.key: d for d in catalog_documents(catalog, shipped)}
    renewal = next(d for d in docs.values() if d.kind == "matter" and d.name == "居民身份证换领")
    assert renewal.object == "居民身份证" and renewal.action == "换领"
    assert renewal.expansions and all(t in renewal.dense_texts for t in renewal.expansions)
    expanded = sum(1 for d in docs.values() if d.kind == "matter" and d.object)
    assert expanded >= 0.8 * len(catalog.matters)


def test_an_action_counts_only_in_the_clause_that_names_its_object(shipped: Lexicon) -> None:
    stolen, again = shipped.clauses("出去旅游护照让人偷了，回来怎么重新办一本")
    assert (stolen.objects, stolen.actions) == (("普通护照",), ("补领",))
    assert again.actions == ()  # 重新办 is a re-doing frame, not the 新办 of a first issue
    *_, asked = shipped.clauses("我那个个体户原来是我爸的名字，现在想换成我来经营，是不是要先注销啊")
    assert (asked.objects, asked.actions) == ((), ("注销",))  # said, but of no object


def test_an_action_word_inside_an_object_name_is_no_action(shipped: Lexicon) -> None:
    # 许可 is an action word (审批), but here it is part of 食品经营许可证
    assert shipped.actions_in("食品经营许可证快到期了") == ("换领",)


def test_a_mentioned_object_inside_a_longer_mentioned_one_is_left_out(shipped: Lexicon) -> None:
    assert shipped.objects_in("我们招了残疾人，残疾人就业保障金能少交吗") == ("残疾人就业保障金",)


def test_related_families_are_related_both_ways(shipped: Lexicon) -> None:
    assert shipped.related("延续", "换领") and shipped.related("换领", "延续")
    assert shipped.related("注销", "撤销")
    assert not shipped.related("补领", "换领")


def test_an_unknown_object_ends_in_its_action_word(shipped: Lexicon) -> None:
    split = shipped.split("房屋买卖合同网签备案注销")
    assert (split.object, split.action) == ("房屋买卖合同", "注销")


def test_bundle_words_ask_for_a_theme(shipped: Lexicon) -> None:
    assert BUNDLE in shipped.actions_in("开公司执照、公章、发票能不能在一个窗口一次全办了")
    assert BUNDLE not in shipped.actions_in("营业执照丢了怎么补")


def test_purposes_are_read_in_names_by_their_written_word_only(shipped: Lexicon) -> None:
    assert shipped.purposes_of("住房公积金偿还贷款提取") == ("偿还贷款",)
    assert shipped.purposes_of("机动车驾驶证期满换证") == ("期满",)
    # 房租 is how citizens say 租房; inside an official name (住房租赁) it is no purpose
    assert shipped.purposes_of("住房租赁合同备案") == ()
    assert shipped.purposes_of("居民身份证换领") == ()


def test_purposes_are_heard_in_everyday_words(shipped: Lexicon) -> None:
    assert shipped.purposes_in("公积金里的钱想取出来还这个月的商贷月供") == ("偿还贷款",)
    assert shipped.purposes_in("刚买了房付完首付，公积金能取出来吗") == ("购房",)
    assert shipped.purposes_in("驾照丢了怎么办") == ()


def test_hall_facilities_are_found_by_their_use(shipped: Lexicon) -> None:
    assert shipped.facilities_of("母婴休息室") == ("母婴",)
    assert shipped.facilities_of("证照免费邮寄服务窗口") == ("邮寄",)
    assert shipped.facilities_in("孩子饿了要喂奶，有地方吗") == ("母婴",)
    assert shipped.facilities_in("驾照丢了怎么办") == ()


def test_a_name_object_written_as_a_synonym_reads_as_its_term(shipped: Lexicon) -> None:
    assert shipped.term_of("股东") == "股权" and shipped.term_of("股权") == "股权"
    assert shipped.term_of("办事") is None


def test_a_name_writing_its_object_by_an_everyday_word_is_read_as_the_term(shipped: Lexicon) -> None:
    # the split keeps the convention of lexicon_names.tsv; matching reads the term behind the word
    assert shipped.split("用水报装").object is None
    assert (shipped.read("用水报装").object, shipped.read("用水报装").action) == ("供水", "报装")
    assert (shipped.read("户口迁入登记").object, shipped.read("户口迁入登记").action) == ("户籍", "迁入")
    assert shipped.read("股东变更登记").object == "股权"
    # an object word inside the words before the action, clear of the action word itself
    assert shipped.read("个人参保证明打印").object == "参保缴费证明"
    assert shipped.read("食品经营许可") == shipped.split("食品经营许可")  # 许可 is its action


def test_an_action_word_holding_an_object_word_says_its_action(shipped: Lexicon) -> None:
    # 电表 and 自来水 are object words; 装电表 and 接自来水 say 报装 all the same
    assert "报装" in shipped.actions_in("新开的小店想装个电表") or "报装" in shipped.actions_in("新开的小店想装电表")
    assert "报装" in shipped.actions_in("新开的店要接自来水，找谁申请")
    assert shipped.objects_in("新开的店要接自来水，找谁申请") == ("供水",)


def test_an_action_or_purpose_said_not_to_have_happened_is_not_said(shipped: Lexicon) -> None:
    # 还没过期 asks no renewal: the pass is still valid, its endorsements are used up
    assert "换领" not in shipped.actions_in("港澳通行证还没过期，就是签注用完了")
    assert shipped.actions_in("港澳通行证过期了") == ("换领",)
    assert shipped.actions_in("护照没有丢，就是快过期了") == ("换领",)
    assert shipped.purposes_in("还没退休，公积金能取吗") == ()
    assert shipped.purposes_in("退休了，公积金能取吗") == ("退休",)
    # a question frame is no negation (有没有 asks)
    assert shipped.actions_in("身份证有没有过期") == ("换领",)
    # 不 before it: "要是不提取，直接用公积金贷款买房" asks the loan, not a withdrawal
    assert "提取" not in shipped.actions_in("要是不提取，直接用公积金贷款买房，需要满足啥条件")
    assert shipped.purposes_in("公司有债务，不符合简易注销") == ()
    assert shipped.purposes_in("不能简易注销的话普通注销咋走") == ("普通",)
    assert shipped.actions_in("身份证能不能补办") == ("补领",)  # a question frame, no negation
    # a correction: "不是到期，是泡坏了" (set 18, a notice for the wrong matter) says 损毁 alone
    assert shipped.purposes_in("我那不是到期，是驾照泡水泡坏了") == ("损毁",)
    assert shipped.purposes_in("驾照是不是到期了要换") == ("期满",)  # 是不是 asks


def test_benefits_are_read_in_policy_names_and_heard_in_everyday_words(shipped: Lexicon) -> None:
    assert shipped.benefits_of("创业担保贷款贴息") == ("贴息",)
    assert shipped.benefits_of("个人购买住房契税优惠") == ("优惠",)
    assert shipped.benefits_of("契税申报缴纳") == ()
    assert shipped.benefits_in("贷款的利息政府能贴多少") == ("贴息",)
    assert shipped.benefits_in("首套房契税有啥优惠不") == ("优惠",)
    assert shipped.benefits_in("契税怎么交") == ()
    assert shipped.benefits_in("我不需要补贴，就问怎么办") == ()  # said not to be wanted


def test_an_object_is_read_with_de_between_its_words(shipped: Lexicon) -> None:
    """消防的验收 says 消防验收; the longer reading wins over a term inside it (规划证)."""
    assert shipped.objects_in("现在要做消防的验收，怎么约") == ("建设工程消防验收",)
    assert shipped.objects_in("盖楼之前那个用地的规划证要带啥") == ("建设用地规划许可证",)
    assert shipped.objects_in("没有犯罪记录的证明去哪开") == ("无犯罪记录证明",)  # a synonym holding 的


def test_offices_are_read_in_department_names_and_heard_in_everyday_words(shipped: Lexicon) -> None:
    assert shipped.agencies_of("长春市公安局户政管理支队") == ("户政",)
    assert shipped.agencies_of("国家税务总局长春市税务局") == ("税务",)
    assert shipped.agencies_in("派出所能开吗") == ("户政",)
    assert shipped.agencies_in("去税务局开个证明") == ("税务",)
    assert shipped.agencies_in("身份证丢了") == ()


def test_a_one_character_verb_says_its_action_only_right_before_an_object(shipped: Lexicon) -> None:
    """"户口不在长春能在这换身份证吗" once read no action and found 普通护照签发 first."""
    assert shipped.actions_in("户口不在长春能在这换身份证吗") == ("换领",)
    assert shipped.actions_in("补驾照要啥") == ("补领",)
    assert shipped.actions_in("没换身份证") == ()  # negated
    assert "换领" not in shipped.actions_in("换成个体户要多久")  # 换 of 换成, not of the object


def test_a_benefit_is_read_in_each_way_policy_names_write_it(shipped: Lexicon) -> None:
    """"自己开店能减税不" once ranked 首次创业补贴 over 重点群体创业税收扣减: 扣减 is a relief too."""
    assert shipped.benefits_of("重点群体创业税收扣减") == ("减免",)
    assert shipped.benefits_of("个体工商户年应纳税所得额减半") == ("减免",)
    assert shipped.benefits_in("我有就业创业证，自己开店能减税不") == ("减免",)
