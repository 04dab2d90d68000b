"""`make purge`: delete what is older than RETENTION_DAYS (default 180) — conversation events in
the tracker store (TRACKER_URL), complaint tickets, feedback and the console's question log
(ACTIONS_DB). Run daily (the
systemd timer in docs/security.md); prints what it deleted.

Usage: python -m actions.purge
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from actions import store

UTC = timezone.utc  # datetime.UTC needs Python 3.11; actions run on 3.10  # noqa: UP017

DEFAULT_TRACKER_URL = "sqlite:///var/rasa_tracker.db"


def purge_conversations(tracker_url: str, days: int, now: float | None = None) -> int:
    """Delete tracker events older than `days`; the number deleted (0 if there is no store yet)."""
    cutoff = (now or time.time()) - days * 86400
    if tracker_url.startswith("sqlite:///") and not Path(tracker_url.removeprefix("sqlite:///")).exists():
        return 0  # connecting would create an empty database
    engine = sa.create_engine(tracker_url)
    try:
        if not sa.inspect(engine).has_table("events"):
            return 0
        with engine.begin() as connection:
            deleted = connection.execute(sa.text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff})
            return int(deleted.rowcount)
    finally:
        engine.dispose()


def main() -> None:
    days = store.retention_days()
    events = purge_conversations(os.environ.get("TRACKER_URL") or DEFAULT_TRACKER_URL, days)
    tickets = store.purge(datetime.now(UTC))
    print(
        f"purged data older than {days} days: {events} conversation events, "
        f"{tickets['complaints']} complaint tickets, {tickets['feedback']} feedback entries, "
        f"{tickets['question_log']} logged questions"
    )


if __name__ == "__main__":
    main()
