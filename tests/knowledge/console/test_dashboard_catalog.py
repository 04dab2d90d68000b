"""The supervisor's dashboard, the audit log, and the catalog status with a sheet check."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from actions.store import file_complaint, log_question, store_feedback
from catalog.import_report import ImportReport, write_report
from catalog.loader import load_catalog
from catalog.spreadsheet import write_sheet
from tests.knowledge.console.conftest import csrf_of, log_in

SAMPLE = Path(__file__).resolve().parents[3] / "catalog" / "data"


@pytest.fixture(scope="module")
def activity(actions_db: Path) -> None:
    """Ten questions today (6 answered, 2 asked, 2 not found), one handoff, 3 ratings, 2 tickets,
    and an old question outside the default range."""
    for outcome, top, n in (("answer", "hz-id-card-renewal", 4), ("answer", "bdc-cert-reissue", 2),
                            ("ask", None, 2), ("none", None, 2), ("handoff", None, 1)):
        for _ in range(n):
            log_question("问题", None, outcome, top, 0.5, path=actions_db)
    for satisfied in (True, True, False):
        store_feedback("s1", "webchat", satisfied, "评价", None, path=actions_db)
    file_complaint("s1", "webchat", "一直没办成", "hz-id-card-renewal", path=actions_db)
    file_complaint("s2", "rest", "窗口没人", None, path=actions_db)
    log_question("很久以前", None, "none", None, 0.1, path=actions_db)
    with sqlite3.connect(actions_db) as connection:
        old = (datetime.now(UTC) - timedelta(days=90)).isoformat()
        connection.execute("UPDATE question_log SET created_at = ? WHERE text = '很久以前'", (old,))


@pytest.fixture(scope="module")
def supervisor(app_client: TestClient, db: sqlite3.Connection) -> TestClient:
    return log_in(app_client, "supervisor1")


def _kpi(html: str, name: str) -> str:
    found = re.search(rf'id="kpi-{name}"><b>([^<]+)</b>', html)
    assert found, name
    return found.group(1)


def test_dashboard_rates_and_charts(supervisor: TestClient, activity: None) -> None:
    html = supervisor.get("/console/dashboard").text
    assert _kpi(html, "questions") == "10"
    assert (_kpi(html, "answer-rate"), _kpi(html, "ask-rate"), _kpi(html, "none-rate")) == ("60%", "20%", "20%")
    assert _kpi(html, "handoffs") == "1" and _kpi(html, "tickets") == "2" and _kpi(html, "satisfaction") == "67%"
    # the busiest matters chart counts answers per matter, biggest first
    bars = re.findall(r'<svg id="busiest-matters".*?</svg>', html, re.S)[0]
    assert re.findall(r'data-label="([^"]+)" data-count="(\d+)"', bars) == [("居民身份证换领", "4"),
                                                                           ("不动产权证书补发", "2")]
    departments = re.findall(r'<svg id="tickets-by-department".*?</svg>', html, re.S)[0]
    assert sorted(re.findall(r'data-label="([^"]+)" data-count="(\d+)"', departments)) == [("户政", "1"),
                                                                                          ("未指派", "1")]
    hours = re.findall(r'class="hour"[^>]*data-count="(\d+)"', html)
    assert len(hours) == 24 and sum(map(int, hours)) == 10


def test_dashboard_date_range(supervisor: TestClient, activity: None) -> None:
    old = (date.today() - timedelta(days=90)).isoformat()
    html = supervisor.get(f"/console/dashboard?start={old}&end={old}").text
    assert _kpi(html, "questions") == "1" and _kpi(html, "none-rate") == "100%"
    assert supervisor.get("/console/dashboard?start=not-a-date").status_code == 422


def test_audit_log_lists_changes_for_the_supervisor(supervisor: TestClient, db: sqlite3.Connection) -> None:
    html = supervisor.get("/console/audit?actor=supervisor1").text
    assert '<td class="action">login</td>' in html
    assert "desk1" not in html


def test_catalog_status_shows_the_loaded_catalog(app_client: TestClient, db: sqlite3.Connection) -> None:
    editor = log_in(app_client, "editor1")
    html = editor.get("/console/catalog").text
    catalog = app_client.app.state.catalog  # type: ignore[attr-defined]
    assert f'id="catalog-hash">{catalog.content_hash}<' in html
    assert f'id="count-matters">{len(catalog.matters)}<' in html


def test_a_sheet_with_errors_is_reported_and_nothing_changes(app_client: TestClient, db: sqlite3.Connection,
                                                             tmp_path: Path) -> None:
    editor = log_in(app_client, "editor1")
    catalog = load_catalog(SAMPLE)
    good = tmp_path / "matters.xlsx"
    write_sheet(list(catalog.matters.values()), good)
    csrf = csrf_of(editor.get("/console/catalog").text)
    ok = editor.post("/console/catalog/check", data={"csrf": csrf},
                     files={"sheet": ("matters.xlsx", good.read_bytes())})
    assert ok.status_code == 200 and 'id="check-result">通过<' in ok.text
    # a department the catalog does not have: the cross-check names the record and field
    bad_csv = tmp_path / "bad.csv"
    write_sheet(list(catalog.matters.values())[:2], bad_csv)
    text = bad_csv.read_text(encoding="utf-8-sig")
    first = list(catalog.matters.values())[0]
    bad_csv.write_text(text.replace(f",{first.department},", ",no-such-dept,", 1), encoding="utf-8")
    bad = editor.post("/console/catalog/check", data={"csrf": csrf},
                      files={"sheet": ("bad.csv", bad_csv.read_bytes())})
    assert bad.status_code == 422
    problems = re.findall(r"<li>([^<]+)</li>", bad.text.split('id="problems"')[1])
    assert any("no-such-dept" in p for p in problems), problems
    assert 'id="check-result">发现' in bad.text
    # the loaded catalog is untouched
    assert app_client.app.state.catalog.content_hash == catalog.content_hash  # type: ignore[attr-defined]
    wrong = editor.post("/console/catalog/check", data={"csrf": csrf}, files={"sheet": ("notes.txt", b"hello")})
    assert wrong.status_code == 400 and "只能校验" in wrong.text
    forged = editor.post("/console/catalog/check", data={"csrf": "x"}, files={"sheet": ("m.xlsx", good.read_bytes())})
    assert forged.status_code == 403


def test_catalog_status_shows_the_last_import(app_client: TestClient, db: sqlite3.Connection, tmp_path: Path) -> None:
    editor = log_in(app_client, "editor1")
    assert 'id="last-import"' not in editor.get("/console/catalog").text  # the sample catalog was never imported
    loaded = app_client.app.state.catalog  # type: ignore[attr-defined]
    write_report(tmp_path, ImportReport("长春市实施清单.xlsx", "catalog/matters/city.yml", ok=False,
                                        problems=["sheet row 7, column 份数: expected a whole number, got '一份'"]))
    app_client.app.state.catalog = dataclasses.replace(loaded, source_dir=tmp_path)  # type: ignore[attr-defined]
    try:
        html = editor.get("/console/catalog").text
    finally:
        app_client.app.state.catalog = loaded  # type: ignore[attr-defined]
    assert "长春市实施清单.xlsx" in html and 'id="import-result">未导入，发现 1 处问题<' in html
    assert "sheet row 7, column 份数" in html.split('id="import-problems"')[1]
