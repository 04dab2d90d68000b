"""Notice content: exactly the applicable materials, for every matter and every combination of answers.

The expected materials are computed here from the raw YAML, independently of knowledge.notices.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from catalog.loader import Catalog, load_catalog
from catalog.models import Situation
from knowledge.notices import (
    UNKNOWN,
    AnswerError,
    UnknownSubjectError,
    build_matter_notice,
    build_theme_notice,
    materials_breakdown,
    situations_needed,
    theme_questions,
)
from knowledge.notices.schemas import NoticeContent
from tests.knowledge.notices.helpers import answers_for, theme_answers
from tests.utils.catalog_factory import catalog_data, write_catalog

SHARED = "数据共享免提交"
SAMPLE_MATTER_IDS = sorted(load_catalog().matters)
SAMPLE_THEME_IDS = sorted(load_catalog().themes)

Expected = list[tuple[str, list[tuple[str, tuple[str, ...]]]]]


def expected_materials(raw: dict[str, Any], answers: dict[str, str]) -> Expected:
    """(name, sorted conditions) of each material that applies, in record order, from raw YAML."""
    all_options = {s["key"]: set(s["options"]) for s in raw.get("situations") or []}
    result: Expected = []
    for material in raw["materials"]:
        conditions: list[tuple[str, tuple[str, ...]]] = []
        excluded = False
        for key, allowed in (material.get("applies_when") or {}).items():
            given = answers[key]
            if given == "不清楚":
                if set(allowed) != all_options[key]:
                    conditions.append((key, tuple(allowed)))
            elif given not in allowed:
                excluded = True
        if not excluded:
            result.append((material["name"], sorted(conditions)))
    return result


def got_materials(notice: NoticeContent) -> Expected:
    return [(m.name, sorted((c.key, tuple(c.options)) for c in m.uses[0].conditions)) for m in notice.materials]


def all_answer_combinations(raw: dict[str, Any]) -> list[dict[str, str]]:
    situations = raw.get("situations") or []
    choices = [[*s["options"], "不清楚"] for s in situations]
    return [
        {s["key"]: answer for s, answer in zip(situations, combo, strict=True)} for combo in itertools.product(*choices)
    ]


def test_the_sample_catalog_is_covered(raw_matters: dict[str, dict[str, Any]]) -> None:
    assert sorted(raw_matters) == SAMPLE_MATTER_IDS
    assert len(SAMPLE_MATTER_IDS) >= 100


@pytest.mark.parametrize("matter_id", SAMPLE_MATTER_IDS)
def test_every_answer_combination_gives_exactly_the_applicable_materials(
    matter_id: str, catalog: Catalog, raw_matters: dict[str, dict[str, Any]]
) -> None:
    raw = raw_matters[matter_id]
    raw_by_name = {m["name"]: m for m in raw["materials"]}
    combinations = all_answer_combinations(raw)
    assert combinations
    for answers in combinations:
        notice = build_matter_notice(catalog, matter_id, answers)
        expected = expected_materials(raw, answers)
        assert got_materials(notice) == expected, answers
        for material in notice.materials:
            source = raw_by_name[material.name]
            assert material.necessity.value == source["necessity"]
            assert material.form.value == source["form"]
            assert material.copies == source["copies"]
            assert material.source.value == source["source"]
            assert material.spec == source.get("spec", "")
            assert material.note == source.get("note", "")
            assert material.submit == (source["source"] != SHARED)
            assert material.status == ("" if material.submit else "无需提交（数据共享获取）")
            assert material.conditional == bool(material.uses[0].conditions)
            assert material.matters == [raw["name"]]
        # Every situation answered 不清楚 lists, per option, exactly the materials only it adds.
        unknown = {s["key"]: s for s in raw.get("situations") or [] if answers[s["key"]] == "不清楚"}
        for pending in notice.pending:
            assert pending.key in unknown
            for option in pending.options:
                assert option.materials == [
                    name
                    for name, conditions in expected
                    if any(k == pending.key and option.option in o for k, o in conditions)
                ]
        conditioned = {k for _, conditions in expected for k, _ in conditions}
        assert {p.key for p in notice.pending} == conditioned


@pytest.mark.parametrize("matter_id", SAMPLE_MATTER_IDS)
def test_the_notice_carries_the_record_facts(
    matter_id: str, catalog: Catalog, raw_matters: dict[str, dict[str, Any]]
) -> None:
    raw = raw_matters[matter_id]
    notice = build_matter_notice(catalog, matter_id, answers_for(catalog, matter_id))
    section = notice.matters[0]
    assert notice.title == f"【{raw['name']}】一次性告知单"
    assert notice.departments == [catalog.departments[raw["department"]].name]
    assert section.conditions == raw["conditions"]
    assert section.process == raw["process"]
    assert section.legal_basis == raw["legal_basis"]
    legal, promised = raw["time_limit"]["legal_days"], raw["time_limit"]["promised_days"]
    assert section.legal_limit_text == (f"{legal}个工作日" if legal else "法律未规定时限")
    assert section.promised_limit_text == (f"{promised}个工作日" if promised else "当场办结")
    fee = raw["fee"]
    assert section.fee_text == (f"{fee['amount']}（收费依据：{fee['basis']}）" if fee["charged"] else "不收费")
    assert section.windows == raw["location"]["windows"]
    assert section.hall_name == catalog.places[raw["location"]["hall"]].name
    assert section.hours == raw["hours"] and section.phone == str(raw["phone"])
    assert section.visits == raw["visits"]
    assert raw["online"]["url"] in section.online_text or raw["online"]["depth"] == "不支持"
    licensing = raw["matter_type"] == "行政许可"
    assert section.licensing == licensing
    assert ("《中华人民共和国行政许可法》第三十二条" in notice.legal_notice) == licensing


@pytest.mark.parametrize("matter_id", SAMPLE_MATTER_IDS)
def test_situations_needed_are_those_a_material_depends_on(
    matter_id: str, catalog: Catalog, raw_matters: dict[str, dict[str, Any]]
) -> None:
    raw = raw_matters[matter_id]
    used = {key for m in raw["materials"] for key in (m.get("applies_when") or {})}
    expected = [s["key"] for s in raw.get("situations") or [] if s["key"] in used]
    assert [s.key for s in situations_needed(catalog.matters[matter_id])] == expected


def test_a_situation_no_material_depends_on_is_not_asked(tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path, catalog_data()))
    # The catalog now refuses a situation that decides nothing (docs/data-format.md); the notice
    # still never asks one that reaches it another way, e.g. a record built in code.
    matter = catalog.matters["hz-first"]
    urgent = Situation(key="urgent", question="是否加急？", options=["加急", "不加急"])
    catalog.matters["hz-first"] = matter.model_copy(update={"situations": [urgent, *matter.situations]})
    assert [s.key for s in situations_needed(catalog.matters["hz-first"])] == ["applicant"]
    # Not needed, so not required; but still checked when given.
    notice = build_matter_notice(catalog, "hz-first", {"applicant": "本人办理"})
    assert [m.name for m in notice.materials] == ["居民身份证"]
    with pytest.raises(AnswerError) as error:
        build_matter_notice(catalog, "hz-first", {"applicant": "本人办理", "urgent": "特急"})
    assert error.value.problems[0].kind == "invalid_option"


def test_unknown_answer_marks_the_condition_in_words(catalog: Catalog) -> None:
    notice = build_matter_notice(catalog, "crj-passport-issue", {"applicant": UNKNOWN, "staff": "否"})
    by_name = {m.name: m for m in notice.materials}
    guardian = by_name["监护关系证明"]
    assert guardian.conditional
    assert guardian.condition_text == "「申请人是否年满16周岁」选“未满16周岁”时需要"
    assert not by_name["居民身份证"].conditional
    assert "所在单位同意申请出入境证件的意见" not in by_name
    assert [(p.key, [(o.option, o.materials) for o in p.options]) for p in notice.pending] == [
        ("applicant", [("年满16周岁", []), ("未满16周岁", ["监护关系证明", "监护人居民身份证"])])
    ]


def test_answer_errors_name_the_question_and_the_options(catalog: Catalog) -> None:
    with pytest.raises(AnswerError) as error:
        build_matter_notice(catalog, "crj-passport-issue", {"applicant": "十五岁", "bogus": "是"})
    problems = {p.key: p for p in error.value.problems}
    assert problems["applicant"].kind == "invalid_option"
    assert problems["applicant"].options == ["年满16周岁", "未满16周岁", "不清楚"]
    assert "年满16周岁" in problems["applicant"].message
    assert problems["staff"].kind == "missing_answer"
    assert "申请人是否属于登记备案的国家工作人员？" in problems["staff"].message
    assert problems["bogus"].kind == "unknown_situation"
    with pytest.raises(UnknownSubjectError):
        build_matter_notice(catalog, "no-such-matter", {})
    with pytest.raises(UnknownSubjectError):
        build_theme_notice(catalog, "no-such-theme", {})


def _normalise(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


@pytest.mark.parametrize("theme_id", SAMPLE_THEME_IDS)
@pytest.mark.parametrize("choose", [0, 1, 2, "不清楚"])
def test_theme_notice_merges_materials_naming_each_matter(
    theme_id: str,
    choose: int | str,
    catalog: Catalog,
    raw_matters: dict[str, dict[str, Any]],
    raw_themes: dict[str, dict[str, Any]],
) -> None:
    answers = theme_answers(catalog, theme_id, choose)
    notice = build_theme_notice(catalog, theme_id, answers)
    # Expected: each member's applicable materials, merged by normalised name in first-seen order.
    expected: dict[str, tuple[str, list[str]]] = {}
    for matter_id in raw_themes[theme_id]["matters"]:
        raw = raw_matters[matter_id]
        own = {key.split(".", 1)[1]: v for key, v in answers.items() if key.startswith(matter_id + ".")}
        for name, _ in expected_materials(raw, own):
            first, matters = expected.setdefault(_normalise(name), (name, []))
            matters.append(raw["name"])
    assert [(m.name, m.matters) for m in notice.materials] == list(expected.values())
    assert len({_normalise(m.name) for m in notice.materials}) == len(notice.materials)
    assert [s.id for s in notice.matters] == raw_themes[theme_id]["matters"]
    # Pending alternatives name only materials that some answer of that situation would add.
    by_name = {m.name: m for m in notice.materials}
    for pending in notice.pending:
        assert answers[pending.key] == "不清楚"
        for option in pending.options:
            for name in option.materials:
                material = by_name[name]
                assert material.conditional
                assert any(
                    c.key == pending.key and option.option in c.options for u in material.uses for c in u.conditions
                )
    assert notice.theme is not None and notice.theme.windows == raw_themes[theme_id]["location"]["windows"]


def test_theme_material_needed_by_several_matters_appears_once(catalog: Catalog) -> None:
    notice = build_theme_notice(catalog, "theme-second-hand-house", theme_answers(catalog, "theme-second-hand-house"))
    ids = [m for m in notice.materials if m.name == "买卖双方居民身份证"]
    assert len(ids) == 1
    assert ids[0].matters == ["存量房买卖合同网签备案", "存量房交易资金监管", "存量房转移登记"]
    # 不动产权证书: shared data for the contract filing, the original for the transfer: hand it in.
    deed = next(m for m in notice.materials if m.name == "不动产权证书")
    assert deed.submit and deed.details_vary
    assert [u.submit for u in deed.uses] == [False, True]


def test_theme_questions_use_qualified_keys(catalog: Catalog) -> None:
    theme = catalog.themes["theme-open-restaurant"]
    questions = theme_questions(catalog, theme)
    keys = [q.key for q in questions]
    assert "qy-individual-business-registration.handler" in keys
    assert "qy-seal-filing.handler" in keys
    assert len(keys) == len(set(keys))
    # Each question's options differ per matter even under one key, hence the qualification.
    handler_options = {tuple(q.situation.options) for q in questions if q.situation.key == "handler"}
    assert len(handler_options) == 3
    with pytest.raises(AnswerError) as error:
        build_theme_notice(catalog, "theme-open-restaurant", {"handler": "委托代理人"})
    kinds = {p.kind for p in error.value.problems}
    assert kinds == {"unknown_situation", "missing_answer"}


def test_an_optional_material_under_a_condition_is_not_called_needed(catalog: Catalog) -> None:
    # Regression: 非必要 items said "…时需要", contradicting their own necessity column.
    notice = build_matter_notice(
        catalog,
        "qy-individual-business-registration",
        answers_for(catalog, "qy-individual-business-registration", UNKNOWN),
    )
    optional = [m for m in notice.materials if m.necessity.value == "非必要" and m.conditional]
    assert optional, "the sample has conditional 非必要 materials"
    for material in optional:
        assert material.condition_text.endswith("时适用，可不提交") and "时需要" not in material.condition_text
    required = [m for m in notice.materials if m.necessity.value == "必要" and m.conditional]
    assert required and all(m.condition_text.endswith("时需要") for m in required)


@pytest.mark.parametrize(
    "matter_id", ["qy-individual-business-registration", "sw-iit-annual-settlement", "crj-passport-issue"]
)
def test_the_count_line_is_true_of_the_table(catalog: Catalog, matter_id: str) -> None:
    # Regression: "共9项，其中需提交9项" while two of the nine were 非必要.
    notice = build_matter_notice(catalog, matter_id, answers_for(catalog, matter_id, UNKNOWN))
    line = materials_breakdown(notice.materials)
    materials = notice.materials
    assert line.startswith(f"共{len(materials)}项：")
    must = [m for m in materials if m.submit and not m.conditional and m.necessity.value != "非必要"]
    optional = [m for m in materials if m.submit and m.necessity.value == "非必要"]
    shared = [m for m in materials if not m.submit]
    conditional = len(materials) - len(must) - len(optional) - len(shared)
    assert (f"须提交{len(must)}项" in line) == bool(must)
    assert (f"非必要{len(optional)}项" in line) == bool(optional)
    assert (f"无需提交{len(shared)}项" in line) == bool(shared)
    assert (f"视办理情形提交{conditional}项" in line) == bool(conditional)
    numbers = [int(n) for n in re.findall(r"(\d+)项", line)]
    assert numbers[0] == sum(numbers[1:]), line
