"""SQLite storage of complaint tickets (办不成事), feedback and the question log, with numbered tickets.

No raw identity or phone number is written: the ticket's words are stored masked, and the
phone numbers in them, which staff need to call back, are stored encrypted (Fernet, key from
TICKET_ENCRYPTION_KEY). `reveal_contact` decrypts them for one named member of staff and
records who, when and why. Every row carries `delete_after` (RETENTION_DAYS); `purge` deletes
the rows past it. docs/security.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from actions.settings import get_settings
from common.pii import mask_pii, phone_numbers
from common.security import secret

UTC = timezone.utc  # datetime.UTC needs Python 3.11; actions run on 3.10  # noqa: UP017

DEFAULT_RETENTION_DAYS = 180

SCHEMA = """
CREATE TABLE IF NOT EXISTS complaints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT UNIQUE NOT NULL,
    sender TEXT NOT NULL,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    matter_id TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender TEXT NOT NULL,
    channel TEXT NOT NULL,
    satisfied INTEGER NOT NULL,
    text TEXT NOT NULL,
    matter_id TEXT,
    created_at TEXT NOT NULL
);
-- every catalog question the assistant resolved and how (answer / ask / none), every question a
-- 👎 followed (disliked) and every handoff: the staff console's queue and dashboard read it
CREATE TABLE IF NOT EXISTS question_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT,
    outcome TEXT NOT NULL,
    top_id TEXT,
    confidence REAL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contact_reveals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    complaint_number TEXT NOT NULL,
    staff TEXT NOT NULL,
    reason TEXT NOT NULL,
    revealed_at TEXT NOT NULL
);
"""
# columns added after the first release; an older database gets them on first use
_ADDED_COLUMNS = {
    "complaints": {"contact_encrypted": "TEXT", "delete_after": "TEXT"},
    "feedback": {"delete_after": "TEXT"},
}


class NoContact(LookupError):
    """No such ticket, or it holds no phone number."""


def retention_days() -> int:
    return int(os.environ.get("RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


def _cipher() -> MultiFernet:
    """TICKET_ENCRYPTION_KEY: any long random string; several, comma-separated, while rotating
    (the first encrypts, every one decrypts)."""
    keys = [key.strip() for key in secret("TICKET_ENCRYPTION_KEY").split(",") if key.strip()]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest())) for key in keys])


def _migrate(connection: sqlite3.Connection) -> None:
    for table, columns in _ADDED_COLUMNS.items():
        present = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        for column, kind in columns.items():
            if column not in present:
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    # rows written before masking existed: mask them once (delete_after is NULL only for those)
    for table in ("complaints", "feedback"):
        rows = connection.execute(f"SELECT id, text, created_at FROM {table} WHERE delete_after IS NULL").fetchall()
        for row_id, text, created_at in rows:
            delete_after = datetime.fromisoformat(created_at) + timedelta(days=retention_days())
            connection.execute(
                f"UPDATE {table} SET text = ?, delete_after = ? WHERE id = ?",
                (mask_pii(text), delete_after.isoformat(), row_id),
            )


def _connect(path: Path | None = None) -> sqlite3.Connection:
    path = path or get_settings().database
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA)
    with connection:
        _migrate(connection)
    return connection


def seal_contact(text: str) -> str | None:
    """The phone numbers in `text`, encrypted as a ticket stores them; None when it holds none."""
    numbers = phone_numbers(text)
    return _cipher().encrypt(json.dumps(numbers).encode()).decode() if numbers else None


def file_complaint(
    sender: str, channel: str, text: str, matter_id: str | None, path: Path | None = None, contact: str | None = None
) -> str:
    """Store a complaint and return its ticket number, e.g. BBCS-20261126-0007. `contact`: the
    numbers sealed (seal_contact) when the words were told, for words kept masked until the ticket
    was accepted; by default, those in `text`."""
    now = datetime.now(UTC)
    contact = contact or seal_contact(text)
    with _connect(path) as connection:
        cursor = connection.execute(
            "INSERT INTO complaints (number, sender, channel, text, matter_id, created_at, contact_encrypted,"
            " delete_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                "pending", sender, channel, mask_pii(text), matter_id, now.isoformat(), contact,
                (now + timedelta(days=retention_days())).isoformat(),
            ),
        )
        row_id = cursor.lastrowid
        number = f"BBCS-{now:%Y%m%d}-{row_id:04d}"
        connection.execute("UPDATE complaints SET number = ? WHERE id = ?", (number, row_id))
    return number


def reveal_contact(number: str, staff: str, reason: str, path: Path | None = None) -> list[str]:
    """The phone numbers of ticket `number`, decrypted for `staff`; the reveal is recorded."""
    if not staff.strip() or not reason.strip():
        raise ValueError("a reveal needs the member of staff and the reason")
    with _connect(path) as connection:
        row = connection.execute("SELECT contact_encrypted FROM complaints WHERE number = ?", (number,)).fetchone()
        if row is None or row[0] is None:
            raise NoContact(number)
        connection.execute(
            "INSERT INTO contact_reveals (complaint_number, staff, reason, revealed_at) VALUES (?, ?, ?, ?)",
            (number, staff, mask_pii(reason), datetime.now(UTC).isoformat()),
        )
    try:
        numbers: list[str] = json.loads(_cipher().decrypt(row[0].encode()))
    except InvalidToken as error:
        raise NoContact(f"{number}: encrypted with a key no longer configured") from error
    return numbers


def store_feedback(
    sender: str, channel: str, satisfied: bool, text: str, matter_id: str | None, path: Path | None = None
) -> None:
    now = datetime.now(UTC)
    with _connect(path) as connection:
        connection.execute(
            "INSERT INTO feedback (sender, channel, satisfied, text, matter_id, created_at, delete_after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                sender, channel, int(satisfied), mask_pii(text), matter_id, now.isoformat(),
                (now + timedelta(days=retention_days())).isoformat(),
            ),
        )


def log_question(
    text: str, kind: str | None, outcome: str, top_id: str | None, confidence: float | None, channel: str = "",
    path: Path | None = None,
) -> None:
    """Record how a question was resolved; its text is stored with personal numbers masked."""
    with _connect(path) as connection:
        connection.execute(
            "INSERT INTO question_log (channel, text, kind, outcome, top_id, confidence, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (channel, mask_pii(text)[:500], kind, outcome, top_id, confidence, datetime.now(UTC).isoformat()),
        )


def purge(now: datetime | None = None, path: Path | None = None) -> dict[str, int]:
    """Delete complaints and feedback past their `delete_after` or older than RETENTION_DAYS
    (which may have been shortened since), and logged questions older than that; the counts per table."""
    now = now or datetime.now(UTC)
    oldest = (now - timedelta(days=retention_days())).isoformat()
    with _connect(path) as connection:
        counts = {
            table: connection.execute(
                f"DELETE FROM {table} WHERE delete_after < ? OR created_at < ?", (now.isoformat(), oldest)
            ).rowcount
            for table in ("complaints", "feedback")
        }
        # the console's question queue holds citizens' words too (masked): the same retention
        counts["question_log"] = connection.execute(
            "DELETE FROM question_log WHERE created_at < ?", (oldest,)
        ).rowcount
        return counts
