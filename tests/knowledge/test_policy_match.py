"""POST /v1/policies/match with realistic profiles."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def _match(client: TestClient, profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    response = client.post("/v1/policies/match", json=profile)
    assert response.status_code == 200, response.text
    return {m["name"]: m for m in response.json()["matches"]}


def _eligible(matches: dict[str, dict[str, Any]]) -> set[str]:
    return {name for name, m in matches.items() if m["eligible"]}


def test_small_high_tech_manufacturer(knowledge_client: TestClient) -> None:
    matches = _match(
        knowledge_client,
        {
            "entity_type": "企业",
            "size": "小型",
            "industry": "制造业",
            "employees": 45,
            "taxable_income": 120,
            "total_assets": 2000,
            "annual_revenue": 3000,
            "is_general_taxpayer": True,
            "rd_expense": 80,
            "is_high_tech": True,
            "is_tech_sme": True,
            "is_specialized": False,
            "registration_years": 4,
            "graduates_hired": 3,
            "insured_months": 36,
            "layoff_rate": 2.0,
            "veterans_hired": 0,
            "disabled_ratio": 0.0,
            "in_difficulty": False,
        },
    )
    assert {
        "小型微利企业所得税优惠",
        "六税两费减半征收",
        "研发费用加计扣除",
        "高新技术企业认定奖励",
        "科技型中小企业研发投入补助",
        "失业保险稳岗返还",
        "一次性吸纳就业补贴",
    } <= _eligible(matches)
    # a general taxpayer gets no small-scale VAT exemption; not 专精特新; no veterans; not in difficulty
    assert not {
        "小微企业增值税减免",
        "专精特新企业奖励",
        "招用退役士兵税收优惠",
        "阶段性缓缴社会保险费",
        "住房公积金缓缴",
        "高校毕业生租房补贴",
    } & set(matches)
    cit = matches["小型微利企业所得税优惠"]
    assert {c["field"] for c in cit["conditions_met"]} >= {"entity_type", "taxable_income", "employees", "total_assets"}
    assert cit["conditions_missing"] == [] and cit["mode"] == "免申即享" and cit["type"] == "减"


def test_new_individual_restaurant(knowledge_client: TestClient) -> None:
    matches = _match(
        knowledge_client,
        {
            "entity_type": "个体工商户",
            "size": "微型",
            "industry": "住宿餐饮业",
            "employees": 3,
            "annual_revenue": 60,
            "is_general_taxpayer": False,
            "taxable_income": 15,
            "is_first_business": True,
            "registration_years": 0.5,
        },
    )
    assert {"小微企业增值税减免", "六税两费减半征收", "个体工商户年应纳税所得额减半", "首次创业补贴"} <= _eligible(
        matches
    )
    assert "小型微利企业所得税优惠" not in matches  # for enterprises only
    assert "研发费用加计扣除" not in matches


def test_fresh_graduate_without_a_home(knowledge_client: TestClient) -> None:
    matches = _match(
        knowledge_client,
        {"entity_type": "个人", "age": 23, "is_graduate": True, "years_since_graduation": 0, "owns_local_house": False},
    )
    assert {"高校毕业生租房补贴", "高校毕业生一次性求职创业补贴", "人才购房补贴"} <= _eligible(matches)
    assert not {"小型微利企业所得税优惠", "一次性吸纳就业补贴"} & set(matches)


def test_graduate_of_three_years_ago_loses_the_rent_subsidy(knowledge_client: TestClient) -> None:
    matches = _match(
        knowledge_client,
        {"entity_type": "个人", "age": 26, "is_graduate": True, "years_since_graduation": 3, "owns_local_house": False},
    )
    assert "高校毕业生租房补贴" not in matches
    assert "人才购房补贴" in _eligible(matches)


def test_partial_profile_lists_what_is_still_to_confirm(knowledge_client: TestClient) -> None:
    matches = _match(knowledge_client, {"entity_type": "企业", "employees": 20})
    cit = matches["小型微利企业所得税优惠"]
    assert cit["eligible"] is False
    assert {c["field"] for c in cit["conditions_missing"]} == {"taxable_income", "total_assets"}
    # fully eligible first, then by how much is missing
    missing_counts = [len(m["conditions_missing"]) for m in matches.values()]
    assert missing_counts == sorted(missing_counts)


def test_bad_profiles_get_422(knowledge_client: TestClient) -> None:
    assert knowledge_client.post("/v1/policies/match", json={}).status_code == 422
    unknown = knowledge_client.post("/v1/policies/match", json={"entity_type": "企业", "shoe_size": 42})
    assert unknown.status_code == 422 and "shoe_size" in unknown.text
    wrong_type = knowledge_client.post("/v1/policies/match", json={"employees": "很多"})
    assert wrong_type.status_code == 422 and "employees" in wrong_type.text
