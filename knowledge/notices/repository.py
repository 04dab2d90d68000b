"""Persistence of notices: SQLite by default, PostgreSQL given a URL, through SQLAlchemy Core.

The notice number (CC-20261126-000123) is allocated by the database inside the insert's
transaction: an upsert on a per-day counter row, so two concurrent requests never share a number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

CONTENT_VERSION = 1

metadata = MetaData()

notices_table = Table(
    "notices",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("subject_id", String(64), nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("content", JSON, nullable=False),
    # bumped when the shape of `content` changes, so old notices can still be read
    Column("content_version", Integer, nullable=False),
)

counters_table = Table(
    "notice_counters",
    metadata,
    Column("day", String(8), primary_key=True),
    Column("last_value", Integer, nullable=False),
)


@dataclass(frozen=True)
class StoredNotice:
    """A notice row as stored."""

    id: str
    number: str
    issued_at: datetime  # timezone-aware
    kind: str
    subject_id: str
    channel: str
    answers: dict[str, str]
    content: dict[str, Any]
    content_version: int


def database_url(db_url: str, data_dir: Path) -> str:
    """The SQLAlchemy URL: "" means SQLite at data_dir/notices.db; postgresql:// goes through psycopg 3."""
    if not db_url:
        data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(data_dir / 'notices.db').resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if db_url.startswith(prefix):
            return "postgresql+psycopg://" + db_url[len(prefix) :]
    return db_url


def _dumps(value: Any) -> str:
    # Readable Chinese in the database, for whoever inspects it by hand.
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str) -> Engine:
    """An engine set up for concurrent number allocation on either backend."""
    if url.startswith("sqlite"):
        # IMMEDIATE makes the implicit BEGIN before a write take the write lock at once, so two
        # writers queue on the busy timeout instead of failing on a lock upgrade; reads stay free.
        engine = create_engine(
            url,
            json_serializer=_dumps,
            connect_args={"timeout": 30, "isolation_level": "IMMEDIATE", "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            # WAL lets readers go on while a notice is written.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, json_serializer=_dumps, pool_pre_ping=True)


class NoticeRepository:
    """Store and fetch notices; allocate their numbers."""

    def __init__(self, engine: Engine, prefix: str = "CC"):
        self.engine = engine
        self.prefix = prefix
        metadata.create_all(engine)

    @classmethod
    def open(cls, db_url: str, data_dir: Path) -> NoticeRepository:
        """Open (and create the tables of) the configured database."""
        return cls(make_engine(database_url(db_url, data_dir)))

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def _next_sequence(self, conn: Connection, day: str) -> int:
        dialect = conn.dialect.name
        if dialect == "postgresql":
            upsert: Any = postgresql.insert(counters_table)
        elif dialect == "sqlite":
            upsert = sqlite.insert(counters_table)
        else:
            raise NotImplementedError(f"notice numbers need PostgreSQL or SQLite, not {dialect}")
        # One statement: create the day's row at 1 or bump it, and read the value back under its lock.
        statement = (
            upsert.values(day=day, last_value=1)
            .on_conflict_do_update(
                index_elements=[counters_table.c.day],
                set_={"last_value": counters_table.c.last_value + 1},
            )
            .returning(counters_table.c.last_value)
        )
        value: int = conn.execute(statement).scalar_one()
        return value

    def add(
        self,
        notice_id: str,
        issued_at: datetime,
        kind: str,
        subject_id: str,
        channel: str,
        answers: dict[str, str],
        content: dict[str, Any],
    ) -> StoredNotice:
        """Insert a notice, numbering it by the local date of `issued_at` (timezone-aware)."""
        day = issued_at.strftime("%Y%m%d")
        with self.engine.begin() as conn:
            sequence = self._next_sequence(conn, day)
            number = f"{self.prefix}-{day}-{sequence:06d}"
            conn.execute(
                insert(notices_table).values(
                    id=notice_id,
                    number=number,
                    issued_at=issued_at.astimezone(UTC),
                    kind=kind,
                    subject_id=subject_id,
                    channel=channel,
                    answers=answers,
                    content=content,
                    content_version=CONTENT_VERSION,
                )
            )
        return StoredNotice(notice_id, number, issued_at, kind, subject_id, channel, answers, content, CONTENT_VERSION)

    def get(self, notice_id: str) -> StoredNotice | None:
        """The notice with that id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(notices_table).where(notices_table.c.id == notice_id)).mappings().first()
        if row is None:
            return None
        issued_at: datetime = row["issued_at"]
        # SQLite hands back naive datetimes; they were stored in UTC.
        if issued_at.tzinfo is None:
            issued_at = issued_at.replace(tzinfo=UTC)
        return StoredNotice(
            id=row["id"],
            number=row["number"],
            issued_at=issued_at,
            kind=row["kind"],
            subject_id=row["subject_id"],
            channel=row["channel"],
            answers=dict(row["answers"]),
            content=dict(row["content"]),
            content_version=row["content_version"],
        )

    def count(self) -> int:
        """How many notices are stored."""
        with self.engine.connect() as conn:
            total: int = conn.execute(select(func.count()).select_from(notices_table)).scalar_one()
        return total
