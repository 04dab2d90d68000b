"""The record endpoints of the knowledge service over the sample catalog."""

from __future__ import annotations

from fastapi.testclient import TestClient

from catalog.loader import load_catalog


def test_healthz_reports_the_catalog(knowledge_client: TestClient) -> None:
    response = knowledge_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["catalog_hash"] == load_catalog().content_hash
    assert body["matters"] >= 113
    assert body["warnings"] == []  # served on 127.0.0.1 only: a loopback public URL is fine


def test_matter_json_carries_situations_and_materials(knowledge_client: TestClient) -> None:
    catalog = load_catalog()
    matter = catalog.matter_by_name("个体工商户设立登记")
    assert matter is not None
    body = knowledge_client.get(f"/v1/matters/{matter.id}").json()
    assert body["name"] == "个体工商户设立登记"
    assert body["situations"] == [s.model_dump(mode="json") for s in matter.situations]
    assert len(body["materials"]) == len(matter.materials)
    for got, material in zip(body["materials"], matter.materials, strict=True):
        assert got["name"] == material.name
        assert got["required"] == material.necessity.value
        assert got["shared"] == (material.source.value == "数据共享免提交")
        assert got["applies_when"] == material.applies_when
    assert body["department_name"] == catalog.departments[matter.department].name


def test_matter_json_shows_the_lexicon_expansions(knowledge_client: TestClient) -> None:
    # an operator sees why an everyday question (驾照丢了) finds a record without aliases
    matter = load_catalog().matter_by_name("机动车驾驶证遗失补证")
    assert matter is not None
    expansions = knowledge_client.get(f"/v1/matters/{matter.id}").json()["expansions"]
    assert expansions["object"] == "机动车驾驶证"
    assert expansions["action"] == "补领"
    assert "驾照丢了" in expansions["everyday_texts"]
    assert "机动车驾驶证遗失补证" not in expansions["everyday_texts"]


def test_policy_theme_and_place_by_id(knowledge_client: TestClient) -> None:
    catalog = load_catalog()
    policy = next(iter(catalog.policies.values()))
    assert knowledge_client.get(f"/v1/policies/{policy.id}").json()["name"] == policy.name
    theme = next(iter(catalog.themes.values()))
    body = knowledge_client.get(f"/v1/themes/{theme.id}").json()
    assert body["matter_names"] == [catalog.matters[m].name for m in theme.matters]
    place = knowledge_client.get("/v1/places/sb-windows").json()
    assert place["name"] == "社保窗口" and place["hall_name"] == "西侧大厅"
    assert place["window_businesses"] == {"16": ["社保"], "17": ["社保"], "18": ["社保"], "19": ["社保"]}


def test_unknown_ids_are_404(knowledge_client: TestClient) -> None:
    for path in ("/v1/matters/nope", "/v1/policies/nope", "/v1/themes/nope", "/v1/places/nope"):
        response = knowledge_client.get(path)
        assert response.status_code == 404
        assert "nope" in response.json()["detail"]
