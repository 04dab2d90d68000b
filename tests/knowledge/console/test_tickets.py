"""Working a 办不成事 ticket in the console: list, filters, masking and reveal, workflow, reply."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from actions.store import file_complaint
from tests.knowledge.console.conftest import audit_rows, csrf_of, log_in

WORDS = "身份证换证跑了三趟还没办成，我电话13912345678，身份证号220102199001011234"


@pytest.fixture(scope="module")
def numbers(actions_db: Path) -> dict[str, str]:
    """Three tickets: a fresh one with personal numbers, one about a matter, one six days old."""
    fresh = file_complaint("web-session-0001", "rest", WORDS, None, path=actions_db)
    about_matter = file_complaint("wx-openid-abcdef", "wechat", "公积金提取材料被退回两次", "gjj-purchase-withdrawal",
                                  path=actions_db)
    old = file_complaint("sess-old", "webchat", "营业执照变更一直没人处理", None, path=actions_db)
    with sqlite3.connect(actions_db) as connection:
        six_days_ago = (datetime.now(UTC) - timedelta(days=6)).isoformat()
        connection.execute("UPDATE complaints SET created_at = ? WHERE number = ?", (six_days_ago, old))
    return {"fresh": fresh, "matter": about_matter, "old": old}


@pytest.fixture(scope="module")
def desk(app_client: TestClient, db: sqlite3.Connection) -> TestClient:
    return log_in(app_client, "desk1")


def _rows(html: str) -> dict[str, str]:
    """number → status of the rows in the ticket list."""
    return dict(re.findall(r'data-number="([^"]+)" data-status="([^"]+)"', html))


def test_list_masks_personal_numbers_and_highlights_overdue(desk: TestClient, numbers: dict[str, str]) -> None:
    html = desk.get("/console/tickets").text
    assert set(_rows(html)) == set(numbers.values())
    assert "13912345678" not in html and "220102199001011234" not in html
    assert "139****5678" in html
    overdue = re.findall(r'<tr class="ticket overdue" data-number="([^"]+)"', html)
    assert overdue == [numbers["old"]]


def test_filters_by_status_department_age_and_overdue(desk: TestClient, numbers: dict[str, str]) -> None:
    assert set(_rows(desk.get("/console/tickets?age=5").text)) == {numbers["old"]}
    assert set(_rows(desk.get("/console/tickets?overdue=true").text)) == {numbers["old"]}
    # the matter's department owns the ticket until someone assigns it
    department = desk.get("/console/tickets?department=gjj").text
    assert set(_rows(department)) == {numbers["matter"]}
    assert set(_rows(desk.get(f"/console/tickets?status={'已办结'}").text)) == set()


def test_reveal_needs_a_reason_and_is_audited(desk: TestClient, numbers: dict[str, str],
                                              db: sqlite3.Connection, actions_db: Path) -> None:
    number = numbers["fresh"]
    page = desk.get(f"/console/tickets/{number}").text
    assert "13912345678" not in page
    refused = desk.post(f"/console/tickets/{number}/reveal", data={"csrf": csrf_of(page), "reason": " "})
    assert refused.status_code == 400 and "13912345678" not in refused.text
    shown = desk.post(f"/console/tickets/{number}/reveal", data={"csrf": csrf_of(page), "reason": "电话回访核实"})
    assert shown.status_code == 200
    # the phone number is decrypted from the ticket (actions/store.py); the ID number stays masked
    assert re.search(r'id="phone">[^<]*13912345678', shown.text)
    assert "220102199001011234" not in shown.text
    entry = audit_rows(db, "ticket_reveal")[-1]
    assert (entry["actor"], entry["target"], entry["detail"]) == ("desk1", number, "电话回访核实")
    # the action server's own record of the reveal
    with sqlite3.connect(actions_db) as connection:
        assert connection.execute("SELECT staff, reason FROM contact_reveals WHERE complaint_number = ?",
                                  (number,)).fetchall() == [("desk1", "电话回访核实")]


def test_a_ticket_is_worked_from_new_to_done(desk: TestClient, numbers: dict[str, str],
                                             db: sqlite3.Connection) -> None:
    number = numbers["fresh"]
    url = f"/console/tickets/{number}"
    csrf = csrf_of(desk.get(url).text)
    # 新建 cannot jump to 已办结
    assert desk.post(f"{url}/status", data={"csrf": csrf, "status": "已办结"}).status_code == 409
    assert desk.post(f"{url}/status", data={"csrf": csrf, "status": "处理中"}).status_code == 200
    assert 'id="status">处理中<' in desk.get(url).text
    # closing needs a reply first
    refused = desk.post(f"{url}/status", data={"csrf": csrf, "status": "已办结"})
    assert refused.status_code == 409 and "先填写" in refused.text
    assigned = desk.post(f"{url}/assign", data={"csrf": csrf, "department": "hz"})
    assert "公安局" in assigned.text
    assert desk.post(f"{url}/assign", data={"csrf": csrf, "department": "nope"}).status_code == 400
    noted = desk.post(f"{url}/notes", data={"csrf": csrf, "text": "已联系户政窗口，明天回复"})
    assert "已联系户政窗口，明天回复" in noted.text
    # a REST conversation cannot be pushed to: the console says to answer by phone or at the desk
    replied = desk.post(f"{url}/reply", data={"csrf": csrf, "text": "您的新证已制好，请到12号窗口领取。"})
    assert "该渠道无法主动推送" in replied.text and 'id="reply">您的新证已制好' in replied.text
    done = desk.post(f"{url}/status", data={"csrf": csrf, "status": "已办结"})
    assert 'id="status">已办结<' in done.text and 'id="status-form"' not in done.text
    assert _rows(desk.get("/console/tickets").text)[number] == "已办结"
    actions = [r["action"] for r in db.execute("SELECT action FROM audit WHERE target = ? ORDER BY id", (number,))]
    assert actions == ["ticket_reveal", "ticket_status", "ticket_assign", "ticket_note", "ticket_reply",
                       "ticket_status"]


def test_a_reply_on_a_pushable_channel_says_when_the_assistant_is_unreachable(
    desk: TestClient, numbers: dict[str, str]
) -> None:
    # the conftest points the console at a port nothing listens on
    url = f"/console/tickets/{numbers['old']}"
    csrf = csrf_of(desk.get(url).text)
    replied = desk.post(f"{url}/reply", data={"csrf": csrf, "text": "已督办，三日内办结。"})
    assert "发送失败（对话服务不可用）" in replied.text


def test_unknown_ticket_is_a_polite_404(desk: TestClient, numbers: dict[str, str]) -> None:
    response = desk.get("/console/tickets/BBCS-20000101-9999")
    assert response.status_code == 404 and "没有编号为" in response.text


def test_conversation_ids_reach_rasa_unescaped() -> None:
    # Rasa does not decode %3A in the path: "wechat%3Ao-abc" would be a new, empty conversation
    from knowledge.console.delivery import _conversation_url

    assert _conversation_url("http://r:5005/", "wechat:o-abc*1") == "http://r:5005/conversations/wechat:o-abc*1"
    assert _conversation_url("http://r:5005", "a/b c") == "http://r:5005/conversations/a%2Fb%20c"
