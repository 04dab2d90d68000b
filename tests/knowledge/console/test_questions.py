"""The unanswered-question queue: grouping, one-click aliases that fix the answer, triage."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from actions.store import log_question
from catalog.loader import load_catalog
from knowledge.console.aliases import AliasError, add_alias
from knowledge.console.db import connect
from knowledge.console.questions import Question, group_questions, import_hotline_csv
from knowledge.retrieval.service import make_searcher
from knowledge.settings import get_settings
from tests.knowledge.console.conftest import audit_rows, csrf_of, log_in

SAMPLE = Path(__file__).resolve().parents[3] / "catalog" / "data"
DEED_LOST = ["大本证丢了", "大本证丢了怎么办", "大本证丢了。"]


@pytest.fixture(scope="module")
def catalog_copy(app_client: TestClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The service serves a scratch copy of the sample catalog, which the console may edit."""
    copy = tmp_path_factory.mktemp("catalog") / "data"
    shutil.copytree(SAMPLE, copy)
    state = app_client.app.state  # type: ignore[attr-defined]
    original = state.catalog, state.searcher
    state.catalog = load_catalog(copy)
    state.searcher = make_searcher(state.catalog, get_settings())  # same content: the stored index
    yield copy
    state.catalog, state.searcher = original


@pytest.fixture(scope="module")
def queued(actions_db: Path, catalog_copy: Path) -> None:
    for text in DEED_LOST:
        log_question(text, None, "none", None, 0.15, path=actions_db)
    log_question("今天天气怎么样", None, "ask", "sz-heating-connection", 0.5, path=actions_db)
    log_question("今天天气如何", None, "none", None, 0.2, path=actions_db)
    log_question("身份证过期了", None, "answer", "hz-id-card-renewal", 0.95, path=actions_db)  # answered: not queued
    log_question("公积金怎么提取到外地", None, "disliked", None, None, path=actions_db)


@pytest.fixture(scope="module")
def editor(app_client: TestClient, db: sqlite3.Connection) -> TestClient:
    return log_in(app_client, "editor1")


def _groups(html: str) -> list[tuple[str, int]]:
    return [(text, int(count)) for count, text in re.findall(
        r'<section class="group" data-count="(\d+)">\s*<h2><span class="representative">([^<]+)<', html)]


def test_the_queue_groups_similar_questions_with_counts(editor: TestClient, queued: None) -> None:
    html = editor.get("/console/questions").text
    groups = _groups(html)
    assert groups[0] == ("大本证丢了", 3)
    assert ("今天天气怎么样", 2) in groups
    assert ("公积金怎么提取到外地", 1) in groups
    assert "身份证过期了" not in html
    assert 'id="total">6 条待处理' in html


def test_one_click_alias_makes_the_question_answered(editor: TestClient, queued: None, catalog_copy: Path,
                                                     db: sqlite3.Connection, app_client: TestClient) -> None:
    before = app_client.get("/v1/search", params={"q": "大本证丢了", "kind": "matter"}).json()
    # the lexicon hears 丢了 (补领) but not which 大本证: unanswered, and not 不动产权证书补发
    assert before["decision"] != "answer" and before["results"][0]["id"] != "bdc-cert-reissue"
    html = editor.get("/console/questions").text
    form = re.search(r'name="keys" value="([^"]+)">\s*<label>对应事项', html)
    assert form
    response = editor.post("/console/questions/alias", data={
        "csrf": csrf_of(html), "keys": form.group(1), "matter_id": "bdc-cert-reissue", "alias": "大本证丢了"})
    assert response.status_code == 200, response.text
    ranks = re.findall(r'<td>([^<]+)</td><td class="before">([^<]+)</td>\s*<td class="after[^"]*">([^<]+)</td>',
                       response.text)
    assert {text for text, _, _ in ranks} == {"大本证丢了", "大本证丢了怎么办", "大本证丢了。"}
    assert all(after == "1" and before != "1" for _, before, after in ranks)
    # the catalog file has it, the service answers with it, and the group has left the queue
    record = next(m for m in yaml.safe_load((catalog_copy / "matters" / "housing_fund.yml").read_text())["matters"]
                  if m["id"] == "bdc-cert-reissue")
    assert record["aliases"][-1] == "大本证丢了"
    after = app_client.get("/v1/search", params={"q": "大本证丢了怎么办", "kind": "matter"}).json()
    assert after["decision"] == "answer" and after["results"][0]["id"] == "bdc-cert-reissue"
    assert "大本证丢了" not in editor.get("/console/questions").text
    assert audit_rows(db, "catalog_add_alias")[-1]["detail"] == "大本证丢了"


def test_out_of_scope_and_department_take_groups_off_the_queue(editor: TestClient, queued: None,
                                                              db: sqlite3.Connection) -> None:
    html = editor.get("/console/questions").text
    weather = re.search(r'今天天气怎么样.*?action="/console/questions/out-of-scope">\s*<input[^>]+>\s*'
                        r'<input type="hidden" name="keys" value="([^"]+)"', html, re.S)
    assert weather
    response = editor.post("/console/questions/out-of-scope", data={"csrf": csrf_of(html), "keys": weather.group(1)})
    assert "已标记为不属于办事目录" in response.text and "今天天气" not in response.text
    fund = re.search(r'公积金怎么提取到外地.*?action="/console/questions/department">\s*<input[^>]+>\s*'
                     r'<input type="hidden" name="keys" value="([^"]+)"', response.text, re.S)
    assert fund
    sent = editor.post("/console/questions/department",
                       data={"csrf": csrf_of(html), "keys": fund.group(1), "department": "gjj"})
    assert "已转交部门" in sent.text and 'id="empty"' in sent.text
    assert audit_rows(db, "questions_department")[-1]["detail"] == "gjj: 公积金怎么提取到外地"


def test_a_bad_alias_is_refused_and_the_file_left_alone(catalog_copy: Path, app_client: TestClient) -> None:
    catalog = app_client.app.state.catalog  # type: ignore[attr-defined]
    path = catalog_copy / "matters" / "housing_fund.yml"
    before = path.read_text(encoding="utf-8")
    for alias in ("房产证丢了", "a: b", "", "x" * 31):
        with pytest.raises(AliasError):
            add_alias(catalog, "bdc-cert-reissue", alias)
    with pytest.raises(AliasError):
        add_alias(catalog, "no-such-matter", "随便")
    assert path.read_text(encoding="utf-8") == before


def test_grouping_keeps_different_questions_apart(app_client: TestClient) -> None:
    encoder = app_client.app.state.searcher.encoder  # type: ignore[attr-defined]
    texts = ["小孩上户口", "娃儿落户", "新生儿怎么落户口", "今天天气怎么样", "公积金怎么取"]
    questions = [Question(f"log:{i}", text, "none", "2026-12-01T00:00:00") for i, text in enumerate(texts)]
    groups = group_questions(questions, encoder)
    assert sorted(sorted(g.texts) for g in groups) == [
        ["今天天气怎么样"], ["公积金怎么取"], sorted(["小孩上户口", "娃儿落户", "新生儿怎么落户口"])]


def test_hotline_gaps_are_imported_masked_and_once(tmp_path: Path) -> None:
    report = tmp_path / "calls.csv"
    report.write_text(
        "call_id,start_time,knowledge_gaps\n"
        "c1,2026-12-01T09:00:00+08:00,残疾人两项补贴怎么申请（置信度0.21） / 我电话13912345678能查吗（置信度0.10）\n"
        "c2,2026-12-01T10:00:00+08:00,\n",
        encoding="utf-8",
    )
    connection = connect(tmp_path / "console.db")
    assert import_hotline_csv(connection, report) == 2
    assert import_hotline_csv(connection, report) == 0
    texts = [r[0] for r in connection.execute("SELECT text FROM imported_questions ORDER BY id")]
    assert texts == ["残疾人两项补贴怎么申请", "我电话139****5678能查吗"]
