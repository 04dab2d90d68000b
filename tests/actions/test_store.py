"""Complaint tickets and feedback at rest: masked text, the call-back number encrypted and
revealed only with an audit row, retention and purge (actions/store.py, actions/purge.py)."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from actions import store
from actions.purge import purge_conversations

ID_NUMBER, PHONE = "220102199003071234", "13800001234"
TEXT = f"我的身份证{ID_NUMBER}办不了，请打{PHONE}回我"


def test_a_ticket_keeps_no_raw_number_on_disk_but_staff_can_call_back(actions_db: Path) -> None:
    number = store.file_complaint("rest:me", "rest", TEXT, None)
    raw = actions_db.read_bytes()
    assert ID_NUMBER.encode() not in raw and PHONE.encode() not in raw
    text, contact = sqlite3.connect(actions_db).execute("SELECT text, contact_encrypted FROM complaints").fetchone()
    assert text == "我的身份证220102********1234办不了，请打138****1234回我"
    assert contact and PHONE not in contact
    assert store.reveal_contact(number, "desk-07 王芳", "回电跟进") == [PHONE]
    audit = sqlite3.connect(actions_db).execute("SELECT complaint_number, staff, reason FROM contact_reveals")
    assert audit.fetchall() == [(number, "desk-07 王芳", "回电跟进")]


def test_a_reveal_needs_a_name_and_a_reason_and_the_right_key(
    actions_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = store.file_complaint("rest:me", "rest", TEXT, None)
    with pytest.raises(ValueError):
        store.reveal_contact(number, "", "回电")
    with pytest.raises(store.NoContact):
        store.reveal_contact(store.file_complaint("rest:me", "rest", "没有电话", None), "desk", "回电")
    # rotation: the new key first, the old one still decrypts; without the old one, nothing does
    monkeypatch.setenv("TICKET_ENCRYPTION_KEY", "new-key,dev-ticket-encryption-key")
    assert store.reveal_contact(number, "desk", "回电") == [PHONE]
    monkeypatch.setenv("TICKET_ENCRYPTION_KEY", "new-key")
    with pytest.raises(store.NoContact):
        store.reveal_contact(number, "desk", "回电")


def test_feedback_is_masked(actions_db: Path) -> None:
    store.store_feedback("rest:me", "rest", False, TEXT, None)
    assert PHONE.encode() not in actions_db.read_bytes()


def test_an_old_database_is_migrated_and_masked(actions_db: Path) -> None:
    connection = sqlite3.connect(actions_db)
    connection.executescript(
        "CREATE TABLE complaints (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT UNIQUE NOT NULL, sender TEXT"
        " NOT NULL, channel TEXT NOT NULL, text TEXT NOT NULL, matter_id TEXT, created_at TEXT NOT NULL);"
    )
    with connection:
        connection.execute(
            "INSERT INTO complaints (number, sender, channel, text, created_at) VALUES ('BBCS-1', 's', 'rest', ?, ?)",
            (TEXT, datetime.now(store.UTC).isoformat()),
        )
    store.file_complaint("rest:me", "rest", "新的", None)
    texts = [row[0] for row in sqlite3.connect(actions_db).execute("SELECT text FROM complaints")]
    assert len(texts) == 2 and not any(PHONE in text for text in texts)


def test_purge_deletes_tickets_past_retention(actions_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store.file_complaint("rest:old", "rest", "旧的", None)
    store.store_feedback("rest:old", "rest", True, "满意", None)
    store.log_question("怎么炒股", None, "none", None, 0.1, channel="rest")
    now = datetime.now(store.UTC)
    assert store.purge(now) == {"complaints": 0, "feedback": 0, "question_log": 0}
    assert store.purge(now + timedelta(days=181)) == {"complaints": 1, "feedback": 1, "question_log": 1}
    # a shortened retention applies to rows filed under the longer one too
    store.file_complaint("rest:new", "rest", "新的", None)
    monkeypatch.setenv("RETENTION_DAYS", "7")
    assert store.purge(now + timedelta(days=8))["complaints"] == 1


def test_purge_deletes_old_conversation_events(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert purge_conversations(url, 180) == 0  # no tracker store yet
    engine = sa.create_engine(url)
    old, recent = time.time() - 200 * 86400, time.time() - 10 * 86400
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp FLOAT)"))
        for stamp in (old, old, recent):
            connection.execute(sa.text("INSERT INTO events (sender_id, timestamp) VALUES ('s', :t)"), {"t": stamp})
    assert purge_conversations(url, 180) == 2
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT COUNT(*) FROM events")).scalar() == 1
