"""GET /v1/search: the stable contract, bad input, and the hard cases it exists for."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from catalog.loader import load_catalog


def _id(name: str) -> str:
    matter = load_catalog().matter_by_name(name)
    assert matter is not None, name
    return matter.id


def _search(client: TestClient, q: str, **params: object) -> dict:  # type: ignore[type-arg]
    response = client.get("/v1/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    return body


def test_contract_shape_order_and_k(knowledge_client: TestClient) -> None:
    body = _search(knowledge_client, "驾照快到期了怎么换", k=4)
    assert body["query"] == "驾照快到期了怎么换"
    assert 1 <= len(body["results"]) <= 4
    for result in body["results"]:
        assert set(result) == {"kind", "id", "name", "score", "snippet"}
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert body["results"][0]["id"] == _id("机动车驾驶证期满换证")
    assert 0.0 <= body["confidence"] <= 1.0 and 0.0 <= body["margin"] <= 1.0


@pytest.mark.parametrize("kind", ["matter", "policy", "place", "theme"])
def test_kind_filter(knowledge_client: TestClient, kind: str) -> None:
    body = _search(knowledge_client, "社保", k=10, kind=kind)
    assert body["results"] and {r["kind"] for r in body["results"]} == {kind}


@pytest.mark.parametrize(
    ("q", "name"),
    [
        ("社宝卡丢了怎么补", "社会保障卡挂失补换"),
        ("公鸡金租房提取", "住房公积金租房提取"),
        ("驾使证到期换证", "机动车驾驶证期满换证"),
        ("不动铲权证书丢了补办", "不动产权证书补发"),
    ],
)
def test_homophones_from_asr_still_find_the_matter(knowledge_client: TestClient, q: str, name: str) -> None:
    assert _search(knowledge_client, q)["results"][0]["id"] == _id(name)


def test_a_long_rambling_hotline_sentence(knowledge_client: TestClient) -> None:
    q = (
        "喂，你好，那个我想问一下啊，就是我那个身份证吧，上个礼拜在公交车上弄丢了，"
        "现在着急用，这个要去哪儿补，要带啥东西啊"
    )
    assert _search(knowledge_client, q)["results"][0]["id"] == _id("居民身份证补领")


def test_places_and_policies_are_found(knowledge_client: TestClient) -> None:
    assert _search(knowledge_client, "厕所在哪", kind="place")["results"][0]["id"] == "restroom"
    policy = _search(knowledge_client, "企业招应届毕业生有什么补贴", kind="policy")["results"][0]
    assert policy["name"] == "一次性吸纳就业补贴"


def test_an_unanswerable_question_comes_back_unsure(knowledge_client: TestClient) -> None:
    assert _search(knowledge_client, "明天长春天气怎么样会下雪吗")["confidence"] < 0.5


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"q": ""}, "q"),
        ({"q": "   "}, "empty"),
        ({"q": "社" * 501}, "q"),
        ({"q": "社保", "k": 0}, "k"),
        ({"q": "社保", "k": 51}, "k"),
        ({"q": "社保", "kind": "weather"}, "kind"),
        ({}, "q"),
    ],
)
def test_bad_input_gets_a_422_that_says_what_is_wrong(
    knowledge_client: TestClient, params: dict[str, object], fragment: str
) -> None:
    response = knowledge_client.get("/v1/search", params=params)
    assert response.status_code == 422
    assert fragment in response.text


def test_openapi_docs_are_served(knowledge_client: TestClient) -> None:
    assert knowledge_client.get("/docs").status_code == 200
    paths = knowledge_client.get("/openapi.json").json()["paths"]
    assert {"/v1/search", "/v1/policies/match", "/v1/matters/{matter_id}", "/healthz"} <= set(paths)


def test_search_log_masks_personal_numbers(knowledge_client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="knowledge.api.routes.search"):
        _search(knowledge_client, "身份证220102199003071234丢了，电话13912345678")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "220102********1234" in logged and "139****5678" in logged
    assert "220102199003071234" not in logged and "13912345678" not in logged


def test_every_search_runs_on_the_one_search_thread(
    knowledge_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the encoder's OpenMP team belongs to the calling thread: one thread keeps one team
    import threading

    searcher = knowledge_client.app.state.searcher  # type: ignore[attr-defined]
    threads: list[str] = []
    real_search = searcher.search

    def recording_search(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return real_search(*args, **kwargs)

    monkeypatch.setattr(searcher, "search", recording_search)
    for q in ("社保卡丢了", "驾照快到期了怎么换", "公积金怎么提取"):
        assert knowledge_client.get("/v1/search", params={"q": q}).status_code == 200
    assert len(threads) == 3 and len(set(threads)) == 1 and threads[0].startswith("search")


def test_the_lexicons_reading_of_the_question_comes_with_the_results(knowledge_client: TestClient) -> None:
    """An addition to the contract: what the lexicon read, for a caller to fill in the rest from
    its conversation ("过期了换个新的" names no object)."""
    body = _search(knowledge_client, "驾照丢了，买房能用公积金贷款吗，有补贴吗")
    reading = body["reading"]
    assert set(reading) == {"objects", "actions", "purposes", "benefits", "facilities", "agencies"}
    assert "机动车驾驶证" in reading["objects"] and "补领" in reading["actions"]
    assert reading["purposes"] == ["购房"] and reading["benefits"] == ["补贴"]
    assert _search(knowledge_client, "过期了换个新的要带啥")["reading"]["objects"] == []
