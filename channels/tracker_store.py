"""Rasa's SQL tracker store, with identity, phone and bank card numbers masked before any event
is written: user text, parse data, entities, slot values, bot replies and metadata alike.

The conversation in memory keeps the raw text for the turn that is running (an action filing
a complaint reads it there); what reaches the database, and so every later turn, is masked.
endpoints.yml names this class as `type:`; its `url:` arrives here as `host`.
On SQLite, connections are pooled and the database keeps a write-ahead log (`<file>-wal` beside
it, as durable as before): see `_tune_sqlite`. A save appends the events after those the tracker
was loaded with, without Rasa's count query: see `_additional_events`. A turn is decided on the
conversation's last KEPT_TURNS turns, the older ones folded into their slot values: see
`recent_turns`. The database keeps every event.
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
# events after which the slots and the open form start again
_RESETS = {"restart", "session_started", "reset_slots"}


def recent_turns(events: list[dict[str, Any]], turns: int = KEPT_TURNS) -> list[dict[str, Any]]:
    """The session's events from the `turns`-th last user message on, behind a session start that
    sets every slot to its value at that point: what the dialogue sees in a session that began there.

    Why: Rasa's policies and `applied_events` replay a tracker's whole history on every turn, so
    the Rasa server's CPU per turn grew from 18 ms in a conversation's first ten turns to about
    100 ms after forty (docs/benchmarks.md). A form open at the cut keeps the whole session: its
    questions cannot be folded into slots.
    """
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if len(users) <= turns:
        return events
    cut = users[-turns]
    if cut > 0 and events[cut - 1].get("event") == "action" and events[cut - 1].get("name") == "action_listen":
        cut -= 1  # the turn begins with the listen that preceded the message
    slots: dict[str, Any] = {}
    loop = None
    for event in events[:cut]:
        kind = event.get("event")
        if kind == "slot":
            slots[event["name"]] = event.get("value")
        elif kind == "active_loop":
            loop = event.get("name")
        elif kind in _RESETS:
            slots, loop = {}, None
    if loop:
        return events
    at = events[cut].get("timestamp")
    start = [
        {"event": "action", "name": "action_session_start", "timestamp": at},
        {"event": "session_started", "timestamp": at},
        *({"event": "slot", "name": name, "value": value, "timestamp": at} for name, value in slots.items()),
    ]
    return [*start, *events[cut:]]


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
        """The latest session's recent turns (`recent_turns`), as the processor decides a turn on.
        `retrieve_full_tracker` (Rasa's HTTP API, the console) still returns every event."""
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
            events = [json.loads(row.data) for row in rows]
        if not events or not self.domain:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, recent_turns(events), self.domain.slots)
        setattr(tracker, _STORED, len(tracker.events))
        return tracker

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
