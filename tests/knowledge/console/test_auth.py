"""Sign-in, sessions, roles, CSRF and the log-in rate limit of the staff console."""

from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient

from knowledge.console.auth import create_staff
from knowledge.console.settings import ConsoleSettings
from tests.knowledge.console.conftest import BASE, PASSWORD, audit_rows, csrf_of, log_in


def test_without_a_session_every_page_redirects_to_login(app_client: TestClient, db: sqlite3.Connection) -> None:
    for path in ("/console/", "/console/tickets", "/console/questions", "/console/dashboard", "/console/catalog"):
        response = app_client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == f"/console/login?next={path}"


def test_a_forged_session_cookie_is_no_session(app_client: TestClient, db: sqlite3.Connection) -> None:
    client = TestClient(app_client.app, base_url=BASE, cookies={"console_session": "made-up"})
    assert client.get("/console/tickets", follow_redirects=False).status_code == 303


def test_login_sets_a_hardened_cookie_and_shows_the_role(app_client: TestClient, db: sqlite3.Connection) -> None:
    client = TestClient(app_client.app, base_url=BASE)
    form = client.get("/console/login")
    response = client.post("/console/login", follow_redirects=False, data={
        "username": "desk1", "password": PASSWORD, "csrf": csrf_of(form.text), "next": "/console/tickets"})
    assert response.status_code == 303 and response.headers["location"] == "/console/tickets"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    assert "secure" not in cookie  # loopback over plain http
    home = client.get("/console/")
    assert "desk同事（导服台）" in home.text
    assert "/console/tickets" in home.text and "/console/catalog" not in home.text


def test_cookie_is_secure_off_the_loopback_address(app_client: TestClient, db: sqlite3.Connection) -> None:
    client = TestClient(app_client.app, base_url="https://console.hall.example")
    form = client.get("/console/login")
    response = client.post("/console/login", follow_redirects=False, data={
        "username": "desk1", "password": PASSWORD, "csrf": csrf_of(form.text)})
    assert "secure" in response.headers["set-cookie"].lower()


def test_password_is_stored_as_an_argon2_hash(db: sqlite3.Connection) -> None:
    stored = db.execute("SELECT password_hash FROM staff WHERE username = 'desk1'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_short_password_is_refused(db: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="at least"):
        create_staff(db, "short", "短", "desk", "12345", actor="test")


def test_wrong_password_is_refused_and_audited(app_client: TestClient, db: sqlite3.Connection) -> None:
    client = TestClient(app_client.app, base_url=BASE)
    form = client.get("/console/login")
    response = client.post("/console/login", data={"username": "editor1", "password": "wrong-password-1",
                                                   "csrf": csrf_of(form.text)})
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.text
    assert client.get("/console/questions", follow_redirects=False).status_code == 303
    assert any(row["actor"] == "editor1" for row in audit_rows(db, "login_failed"))


def test_desk_cannot_use_the_catalog_or_the_question_queue(app_client: TestClient, db: sqlite3.Connection) -> None:
    desk = log_in(app_client, "desk1")
    for path in ("/console/catalog", "/console/questions", "/console/dashboard", "/console/audit"):
        response = desk.get(path)
        assert response.status_code == 403, path
        assert "您的角色不能使用此页面" in response.text
        assert "desk同事（导服台）" in response.text  # still signed in: the menu stays
    # nor change it by posting directly, even with its own valid CSRF token
    csrf = csrf_of(desk.get("/console/").text)
    response = desk.post("/console/questions/alias", data={"csrf": csrf, "matter_id": "hz-id-card-renewal",
                                                           "alias": "测试别名", "keys": "q:1"})
    assert response.status_code == 403


def test_editor_cannot_work_tickets(app_client: TestClient, db: sqlite3.Connection) -> None:
    editor = log_in(app_client, "editor1")
    assert editor.get("/console/tickets").status_code == 403


def test_login_form_needs_its_csrf_token(app_client: TestClient, db: sqlite3.Connection) -> None:
    client = TestClient(app_client.app, base_url=BASE)
    client.get("/console/login")
    response = client.post("/console/login", data={"username": "desk1", "password": PASSWORD, "csrf": "guess"},
                           follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_every_form_carries_the_csrf_token_and_posts_without_it_fail(
    app_client: TestClient, db: sqlite3.Connection
) -> None:
    supervisor = log_in(app_client, "supervisor1")
    home = supervisor.get("/console/").text
    assert home.count("<form") == home.count('name="csrf"') >= 1
    response = supervisor.post("/console/logout", data={}, follow_redirects=False)
    assert response.status_code == 403 and "CSRF" in response.text
    response = supervisor.post("/console/logout", data={"csrf": "wrong"}, follow_redirects=False)
    assert response.status_code == 403
    # still signed in: the forged logout did nothing
    assert supervisor.get("/console/", follow_redirects=False).status_code == 200
    response = supervisor.post("/console/logout", data={"csrf": csrf_of(home)}, follow_redirects=False)
    assert response.status_code == 303
    assert supervisor.get("/console/", follow_redirects=False).status_code == 303


def test_brute_force_is_locked_out_per_account(app_client: TestClient, db: sqlite3.Connection,
                                               settings: ConsoleSettings) -> None:
    create_staff(db, "target", "被猜的账号", "desk", PASSWORD, actor="test")
    client = TestClient(app_client.app, base_url=BASE)
    csrf = csrf_of(client.get("/console/login").text)
    statuses = [
        client.post("/console/login", data={"username": "target", "password": f"guess-{i:04d}", "csrf": csrf})
        .status_code
        for i in range(settings.max_failures_account + 2)
    ]
    assert statuses[: settings.max_failures_account] == [401] * settings.max_failures_account
    assert statuses[settings.max_failures_account:] == [429, 429]
    # once locked, even the right password is not checked until the lockout ends
    response = client.post("/console/login", data={"username": "target", "password": PASSWORD, "csrf": csrf})
    assert response.status_code == 429 and "分钟后再试" in response.text
    assert audit_rows(db, "login_blocked")


def test_brute_force_is_locked_out_per_address(app_client: TestClient, db: sqlite3.Connection,
                                               settings: ConsoleSettings) -> None:
    # many accounts from one address: the address limit stops the spraying
    db.execute("DELETE FROM login_attempts")
    db.commit()
    client = TestClient(app_client.app, base_url=BASE)
    csrf = csrf_of(client.get("/console/login").text)
    statuses = [
        client.post("/console/login", data={"username": f"user{i}", "password": "guess-guess", "csrf": csrf})
        .status_code
        for i in range(settings.max_failures_ip + 1)
    ]
    assert statuses[-1] == 429 and statuses[0] == 401
    db.execute("DELETE FROM login_attempts")
    db.commit()


def test_next_only_leads_into_the_console(app_client: TestClient, db: sqlite3.Connection) -> None:
    client = TestClient(app_client.app, base_url=BASE)
    form = client.get("/console/login?next=https://evil.example/")
    response = client.post("/console/login", follow_redirects=False, data={
        "username": "desk1", "password": PASSWORD, "csrf": csrf_of(form.text), "next": "//evil.example/"})
    assert response.headers["location"] == "/console/"
