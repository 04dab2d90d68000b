"""The notice HTTP API: create, read as JSON, HTML and PDF; 404 and 422 on bad input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from catalog.loader import Catalog
from tests.knowledge.notices.conftest import PUBLIC_URL
from tests.knowledge.notices.helpers import answers_for, theme_answers
from tests.knowledge.notices.test_content import SAMPLE_MATTER_IDS, expected_materials

NUMBER = re.compile(r"^CC-\d{8}-\d{6}$")


def _create(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/notices", json=body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def test_create_returns_id_number_materials_and_url(notices_client: TestClient, catalog: Catalog) -> None:
    response = notices_client.post(
        "/v1/notices",
        json={
            "matter_id": "crj-passport-issue",
            "answers": {"applicant": "未满16周岁", "staff": "否"},
            "channel": "robot",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(r"[0-9a-f]{32}", body["id"])
    assert NUMBER.match(body["number"])
    assert body["url"] == f"{PUBLIC_URL}/notices/{body['id']}"
    assert body["pdf_url"] == f"{PUBLIC_URL}/notices/{body['id']}.pdf"
    assert response.headers["location"] == f"/v1/notices/{body['id']}"
    assert body["channel"] == "robot"
    assert body["title"] == "【普通护照签发】一次性告知单"
    assert body["departments"] == ["长春市公安局出入境管理支队"]
    assert [m["name"] for m in body["materials"]] == [
        "中国公民出入境证件申请表",
        "居民身份证",
        "监护关系证明",
        "监护人居民身份证",
        "本人近期免冠彩色照片",
    ]
    photo = body["materials"][-1]
    assert photo["status"] == "无需提交（数据共享获取）" and photo["submit"] is False
    assert body["matters"][0]["legal_limit_text"] == "15个工作日"
    assert "第三十二条" in body["legal_notice"]


def test_read_returns_the_stored_notice(notices_client: TestClient) -> None:
    created = _create(
        notices_client, matter_id="crj-passport-issue", answers={"applicant": "不清楚", "staff": "不清楚"}
    )
    response = notices_client.get(f"/v1/notices/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


def test_numbers_increase_within_the_day(notices_client: TestClient, catalog: Catalog) -> None:
    first = _create(
        notices_client, matter_id="crj-passport-issue", answers=answers_for(catalog, "crj-passport-issue")
    )
    second = _create(
        notices_client, matter_id="crj-passport-issue", answers=answers_for(catalog, "crj-passport-issue")
    )
    day1, seq1 = first["number"].rsplit("-", 1)
    day2, seq2 = second["number"].rsplit("-", 1)
    assert day1 == day2 and int(seq2) == int(seq1) + 1


@pytest.mark.parametrize("matter_id", SAMPLE_MATTER_IDS)
def test_every_matter_through_the_api(
    matter_id: str, notices_client: TestClient, catalog: Catalog, raw_matters: dict[str, dict[str, Any]]
) -> None:
    answers = answers_for(catalog, matter_id, 1)
    body = _create(notices_client, matter_id=matter_id, answers=answers)
    assert [m["name"] for m in body["materials"]] == [
        n for n, _ in expected_materials(raw_matters[matter_id], answers)
    ]
    assert body["title"] == f"【{raw_matters[matter_id]['name']}】一次性告知单"


def test_theme_notice_over_http(notices_client: TestClient, catalog: Catalog) -> None:
    answers = theme_answers(catalog, "theme-newborn") | {
        "yb-resident-insurance-registration.person": "新生儿"
    }
    body = _create(notices_client, theme_id="theme-newborn", answers=answers)
    assert body["kind"] == "theme" and body["title"] == "【新生儿出生一件事】一次性告知单"
    birth = [m for m in body["materials"] if m["name"] == "出生医学证明"]
    assert len(birth) == 1
    names = [catalog.matters[m].name for m in ("hz-birth-registration", "yb-resident-insurance-registration")]
    assert birth[0]["matters"] == names
    assert body["theme"]["windows"] == catalog.themes["theme-newborn"].location.windows


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"matter_id": "no-such-matter", "answers": {}}, "unknown matter 'no-such-matter'"),
        ({"theme_id": "no-such-theme", "answers": {}}, "unknown theme 'no-such-theme'"),
    ],
)
def test_unknown_matter_or_theme_is_404(
    notices_client: TestClient, body: dict[str, Any], detail: str
) -> None:
    response = notices_client.post("/v1/notices", json=body)
    assert response.status_code == 404
    assert response.json()["detail"] == detail


def test_answer_outside_the_options_is_422_naming_them(notices_client: TestClient) -> None:
    response = notices_client.post(
        "/v1/notices",
        json={"matter_id": "crj-passport-issue", "answers": {"applicant": "15岁", "staff": "否"}},
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "answers", "applicant"]
    assert problem["type"] == "invalid_option"
    assert problem["options"] == ["年满16周岁", "未满16周岁", "不清楚"]
    assert "“年满16周岁”、“未满16周岁”、“不清楚”" in problem["msg"]


def test_missing_answer_is_422_naming_the_question(notices_client: TestClient) -> None:
    response = notices_client.post(
        "/v1/notices", json={"matter_id": "crj-passport-issue", "answers": {"staff": "否"}}
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["type"] == "missing_answer"
    assert problem["question"] == "申请人是否年满16周岁？"
    assert "申请人是否年满16周岁？" in problem["msg"]


def test_theme_answers_need_qualified_keys(notices_client: TestClient, catalog: Catalog) -> None:
    answers = theme_answers(catalog, "theme-newborn")
    key = next(iter(answers))
    del answers[key]
    response = notices_client.post("/v1/notices", json={"theme_id": "theme-newborn", "answers": answers})
    assert response.status_code == 422
    assert [p["loc"][-1] for p in response.json()["detail"]] == [key]


def test_unknown_is_always_allowed(notices_client: TestClient, catalog: Catalog) -> None:
    for matter_id in ("crj-passport-issue", "bdc-new-house-transfer", "qy-individual-business-registration"):
        _create(notices_client, matter_id=matter_id, answers=answers_for(catalog, matter_id, "不清楚"))


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {}},
        {"matter_id": "crj-passport-issue", "theme_id": "theme-newborn", "answers": {}},
        {"matter_id": "crj-passport-issue", "answers": {"applicant": 16}},
        {"matter_id": "crj-passport-issue", "answers": {}, "channel": "Bad Channel!"},
        {"matter_id": "crj-passport-issue", "answers": {}, "extra": 1},
    ],
)
def test_malformed_requests_are_422(notices_client: TestClient, body: dict[str, Any]) -> None:
    assert notices_client.post("/v1/notices", json=body).status_code == 422


@pytest.mark.parametrize("path", ["/v1/notices/{}", "/notices/{}", "/notices/{}.pdf"])
def test_unknown_notice_is_404(notices_client: TestClient, path: str) -> None:
    assert notices_client.get(path.format("0" * 32)).status_code == 404


def test_page_is_printable_html_with_qr(notices_client: TestClient, catalog: Catalog) -> None:
    created = _create(
        notices_client,
        matter_id="bdc-new-house-transfer",
        answers=answers_for(catalog, "bdc-new-house-transfer", "不清楚"),
    )
    response = notices_client.get(f"/notices/{created['id']}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="zh-CN">' in html
    assert "size: A4" in html and "@page" in html
    assert created["title"] in html and created["number"] in html
    assert 'id="notice-qr" src="data:image/svg+xml' in html
    for material in created["materials"]:
        assert material["name"] in html


def test_pdf_route_serves_a_pdf(notices_client: TestClient, catalog: Catalog) -> None:
    created = _create(
        notices_client, matter_id="crj-passport-issue", answers=answers_for(catalog, "crj-passport-issue")
    )
    response = notices_client.get(f"/notices/{created['id']}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'inline; filename="{created["number"]}.pdf"'
    assert response.content.startswith(b"%PDF-")
