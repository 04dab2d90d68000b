"""The knowledge service itself serves notices: router included, store opened at start."""

from __future__ import annotations

from fastapi.testclient import TestClient

from knowledge.settings import get_settings


def test_main_app_issues_and_serves_a_notice(knowledge_client: TestClient) -> None:
    response = knowledge_client.post(
        "/v1/notices",
        json={"matter_id": "crj-passport-issue", "answers": {"applicant": "不清楚", "staff": "否"}},
    )
    assert response.status_code == 201, response.text
    notice = response.json()
    assert notice["url"] == f"{get_settings().public_url.rstrip('/')}/notices/{notice['id']}"
    assert knowledge_client.get(f"/v1/notices/{notice['id']}").json() == notice
    page = knowledge_client.get(f"/notices/{notice['id']}")
    assert page.status_code == 200 and notice["title"] in page.text
