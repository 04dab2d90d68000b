"""Rasa's SQL tracker store, with identity, phone and bank card numbers masked before any event
is written: user text, parse data, entities, slot values, bot replies and metadata alike.

The conversation in memory keeps the raw text for the turn that is running (an action filing
a complaint reads it there); what reaches the database, and so every later turn, is masked.
endpoints.yml names this class as `type:`; its `url:` arrives here as `host`.
On SQLite, connections are pooled and the database keeps a write-ahead log (`<file>-wal` beside
it, as durable as before): see `_tune_sqlite`. A save appends the events after those the tracker
was loaded with, without Rasa's count query: see `_additional_events`. A turn is decided on the
conversation's last KEPT_TURNS turns, the older ones folded into their slot values: see `fold`
and `retrieve`. The database keeps every event.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from common.pii import mask_data

# set on a tracker this store loaded or saved: how many of its events the database holds
_STORED = "_masked_store_stored_events"
# the user turns a turn is decided on: enough for every context the bot reads (the last question,
# a pending choice, a notice's or a policy profile's questions), few enough that a long
# conversation costs what a short one does
KEPT_TURNS = 8
# the events that carry state across the cut: slot values and the open form, and what resets them
_STATE_EVENTS = ("slot", "active_loop", "restart", "session_started", "reset_slots")


def fold(before: list[dict[str, Any]], recent: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """`recent` (starting with a user message) behind a session start that sets every slot to its
    value after `before`: what the dialogue sees in a session that began there. None when a form
    is open at the cut: its questions cannot be folded into slots.

    Why: Rasa's policies and `applied_events` replay a tracker's whole history on every turn, so
    the Rasa server's CPU per turn grew from 18 ms in a conversation's first ten turns to about
    100 ms after forty (docs/benchmarks.md).
    """
    slots: dict[str, Any] = {}
    loop = None
    for event in before:
        kind = event.get("event")
        if kind == "slot":
            slots[event["name"]] = event.get("value")
        elif kind == "active_loop":
            loop = event.get("name")
        elif kind in _STATE_EVENTS:  # a restart, a new session, a reset
            slots, loop = {}, None
    if loop:
        return None
    at = recent[0].get("timestamp") if recent else None
    return [
        {"event": "action", "name": "action_session_start", "timestamp": at},
        {"event": "session_started", "timestamp": at},
        *({"event": "slot", "name": name, "value": value, "timestamp": at} for name, value in slots.items()),
        {"event": "action", "name": "action_listen", "timestamp": at},
        *recent,
    ]


def _decoded(query: Any, data: Any) -> list[dict[str, Any]]:
    """The events a query of the event table finds, decoded from their JSON column `data` alone
    (building an ORM object for every row cost more than decoding it)."""
    return [json.loads(row.data) for row in query.with_entities(data)]


class MaskedSQLTrackerStore(SQLTrackerStore):
    engine: sa.engine.Engine

    def __init__(self, host: str | None = None, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(host=url or host, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            self._tune_sqlite()

    def _tune_sqlite(self) -> None:
        """Pooled connections and a write-ahead log: a third less CPU per save and retrieve.

        SQLAlchemy 1.4 (Rasa's) opens the file anew for every session on SQLite (NullPool); the
        pool keeps connections open, as SQLAlchemy 2 does. Rasa runs the store on its event loop,
        so a connection is used by one thread at a time. In WAL mode a commit appends to one log
        instead of creating, syncing and deleting a rollback journal; `synchronous` stays FULL,
        so a committed turn survives a power cut as before.
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")  # stored in the file: once is enough
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session's last KEPT_TURNS turns, folded (`fold`), as the processor decides a
        turn on; `retrieve_full_tracker` (Rasa's HTTP API, the console) still returns every event.

        Only the rows needed are read: the recent turns whole and, before them, the state events.
        Loading and decoding a long session's every row was a third of the server's CPU per turn.
        """
        if not self.domain:
            return None
        with self.session_scope() as session:
            events = self._recent_events(session, sender_id)
        if not events:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        setattr(tracker, _STORED, len(tracker.events))
        return tracker

    def _recent_events(self, session: Any, sender_id: str) -> list[dict[str, Any]]:
        session_events = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
        event = self.SQLEvent
        users = (
            session_events.filter(event.type_name == "user")
            .with_entities(event.id)
            .order_by(None)
            .order_by(event.id.desc())
            .limit(KEPT_TURNS)
            .all()
        )
        if len(users) == KEPT_TURNS:
            cut = users[-1].id
            before = session_events.filter(event.id < cut, event.type_name.in_(_STATE_EVENTS))
            recent = session_events.filter(event.id >= cut)
            folded = fold(_decoded(before, event.data), _decoded(recent, event.data))
            if folded is not None:
                return folded
        return _decoded(session_events, event.data)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        """The events to append: those after the ones the tracker was loaded with (or saved with).

        Rasa counts the stored events of the current session with a query on every save, a tenth
        of the server's CPU per turn (docs/benchmarks.md); a tracker this store loaded carries
        that number already: the events since the last session start, which is what `retrieve`
        loads. Rasa's lock store keeps other writers out between the load and the save. A tracker
        built elsewhere (the HTTP API replacing events) is still counted in the database.
        """
        stored = getattr(tracker, _STORED, None)
        if stored is None:
            return super()._additional_events(session, tracker)  # type: ignore[no-any-return]
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the tracker's new events, each masked (mirrors SQLTrackerStore.save)."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = mask_data(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        setattr(tracker, _STORED, len(tracker.events))
