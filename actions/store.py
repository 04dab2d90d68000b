"""SQLite storage of complaint tickets (办不成事), feedback and the question log, with numbered tickets."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from actions.settings import get_settings
from knowledge.pii import mask_pii

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
"""


def _connect(path: Path | None = None) -> sqlite3.Connection:
    path = path or get_settings().database
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA)
    return connection


def file_complaint(sender: str, channel: str, text: str, matter_id: str | None, path: Path | None = None) -> str:
    """Store a complaint and return its ticket number, e.g. BBCS-20261126-0007."""
    now = datetime.now(timezone.utc)
    with _connect(path) as connection:
        cursor = connection.execute(
            "INSERT INTO complaints (number, sender, channel, text, matter_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            ("pending", sender, channel, text, matter_id, now.isoformat()),
        )
        row_id = cursor.lastrowid
        number = f"BBCS-{now:%Y%m%d}-{row_id:04d}"
        connection.execute("UPDATE complaints SET number = ? WHERE id = ?", (number, row_id))
    return number


def store_feedback(
    sender: str, channel: str, satisfied: bool, text: str, matter_id: str | None, path: Path | None = None
) -> None:
    with _connect(path) as connection:
        connection.execute(
            "INSERT INTO feedback (sender, channel, satisfied, text, matter_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (sender, channel, int(satisfied), text, matter_id, datetime.now(timezone.utc).isoformat()),
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
            (channel, mask_pii(text)[:500], kind, outcome, top_id, confidence, 
             datetime.now(timezone.utc).isoformat()),
        )
