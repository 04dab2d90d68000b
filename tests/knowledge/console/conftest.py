"""The console over the real knowledge service app (sample catalog), with its own databases."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowledge.console.auth import create_staff
from knowledge.console.db import connect
from knowledge.console.settings import ConsoleSettings
from knowledge.console.web import console_settings
from knowledge.main import app

PASSWORD = "correct-horse-battery"
BASE = "http://127.0.0.1"  # loopback: the cookies are not Secure, as over plain http


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> ConsoleSettings:
    tmp = tmp_path_factory.mktemp("console")
    return ConsoleSettings(db=tmp / "console.db", actions_db=tmp / "actions.db", rasa_url="http://127.0.0.1:9")


@pytest.fixture(scope="module")
def app_client(settings: ConsoleSettings) -> Iterator[TestClient]:
    app.dependency_overrides[console_settings] = lambda: settings
    with TestClient(app, base_url=BASE) as client:
        yield client
    app.dependency_overrides.pop(console_settings, None)


@pytest.fixture(scope="module")
def db(settings: ConsoleSettings) -> Iterator[sqlite3.Connection]:
    connection = connect(settings.db_path)
    for role in ("desk", "editor", "supervisor"):
        create_staff(connection, f"{role}1", f"{role}同事", role, PASSWORD, actor="test")
    yield connection
    connection.close()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found, "form without a CSRF field"
    return found.group(1)


def log_in(app_client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    """A fresh client (own cookies) signed in as `username`."""
    client = TestClient(app_client.app, base_url=BASE)
    form = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf": csrf_of(form.text), "next": "/console/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def audit_rows(db: sqlite3.Connection, action: str) -> list[sqlite3.Row]:
    return db.execute("SELECT * FROM audit WHERE action = ? ORDER BY id", (action,)).fetchall()


@pytest.fixture(scope="module")
def actions_db(settings: ConsoleSettings) -> Path:
    return settings.actions_db
