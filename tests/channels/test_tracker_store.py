"""The masked SQL tracker store (channels/tracker_store.py): what reaches the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import event as sa_event

from channels.tracker_store import KEPT_TURNS, MaskedSQLTrackerStore, fold

pytestmark = pytest.mark.asyncio
ID_NUMBER, PHONE = "220102199003071234", "13800001234"


async def test_numbers_are_masked_before_they_are_written(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = MaskedSQLTrackerStore(dialect="sqlite", url=f"sqlite:///{db}", domain=Domain.empty())
    tracker = DialogueStateTracker("rest:me", slots=[])
    text = f"身份证{ID_NUMBER}，电话{PHONE}"
    tracker.update(UserUttered(text, {"name": "complain", "confidence": 0.9}, metadata={"channel": "rest"}))
    tracker.update(SlotSet("contact", PHONE))
    tracker.update(BotUttered(f"您的电话是{PHONE}吗？"))
    await store.save(tracker)
    # the database and its write-ahead log (channels/tracker_store.py keeps one)
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("tracker.db*"))
    assert b"220102********1234" in raw  # stored, masked: the glob did read what was written
    assert ID_NUMBER.encode() not in raw and PHONE.encode() not in raw
    restored = await store.retrieve("rest:me")
    assert restored is not None
    assert restored.latest_message.text == "身份证220102********1234，电话138****1234"


async def test_endpoints_yml_selects_the_masked_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Rasa falls back to an in-memory store, silently but for a warning, if the type does not load
    monkeypatch.setenv("TRACKER_DIALECT", "sqlite")
    monkeypatch.setenv("TRACKER_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ACTIONS_SECRET", "s3cret")
    config = read_endpoint_config("endpoints.yml", "tracker_store")
    store = TrackerStore.create(config, Domain.empty())
    assert isinstance(store, MaskedSQLTrackerStore)
    assert (tmp_path / "tracker.db").exists()
    action = read_endpoint_config("endpoints.yml", "action_endpoint")
    assert action is not None and action.headers == {"Authorization": "Bearer s3cret"}


async def test_sqlite_store_pools_connections_and_keeps_a_write_ahead_log(tmp_path: Path) -> None:
    store = MaskedSQLTrackerStore(dialect="sqlite", url=f"sqlite:///{tmp_path / 'tracker.db'}", domain=Domain.empty())
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: as durable as before
    assert store.engine.pool.__class__.__name__ == "QueuePool"
    for turn in range(3):  # turns keep coming back whole through the pooled connections
        tracker = await store.get_or_create_tracker("rest:pool")
        tracker.update(UserUttered(f"第{turn}句", {"name": "greet", "confidence": 1.0}))
        await store.save(tracker)
    restored = await store.retrieve("rest:pool")
    assert restored is not None
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["第0句", "第1句", "第2句"]


def _statements(store: MaskedSQLTrackerStore) -> list[str]:
    """Every SQL statement the store's engine runs from now on."""
    seen: list[str] = []
    sa_event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(str(args[2])))
    return seen


def _stored(store: MaskedSQLTrackerStore, sender: str) -> list[str]:
    with store.session_scope() as session:
        rows = session.query(store.SQLEvent).filter_by(sender_id=sender).order_by(store.SQLEvent.id).all()
        return [row.type_name for row in rows]


async def test_each_event_is_stored_once_over_turns_and_sessions_without_a_count_query(tmp_path: Path) -> None:
    store = MaskedSQLTrackerStore(dialect="sqlite", url=f"sqlite:///{tmp_path / 'tracker.db'}", domain=Domain.empty())
    tracker = await store.get_or_create_tracker("rest:turns")  # created and saved (action_listen)
    statements = _statements(store)
    expected = [e.type_name for e in tracker.events]
    for turn in range(4):
        tracker = await store.get_or_create_tracker("rest:turns")  # loaded: as the processor does each turn
        # a new session begins in the middle of the conversation (events made in time order:
        # Rasa loads a session by the timestamps)
        turn_events = [ActionExecuted("action_session_start"), SessionStarted()] if turn == 2 else []
        turn_events += [UserUttered(f"第{turn}句", {"name": "greet", "confidence": 1.0}), BotUttered("您好")]
        for event in turn_events:
            tracker.update(event)
        await store.save(tracker)
        await store.save(tracker)  # a second save of the same tracker appends nothing
        expected += [e.type_name for e in turn_events]
    assert _stored(store, "rest:turns") == expected
    assert not [s for s in statements if "count(" in s.lower()]
    restored = await store.retrieve("rest:turns")  # the latest session, as Rasa loads it
    assert restored is not None
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["第2句", "第3句"]


async def test_a_tracker_the_store_did_not_load_is_counted_in_the_database(tmp_path: Path) -> None:
    store = MaskedSQLTrackerStore(dialect="sqlite", url=f"sqlite:///{tmp_path / 'tracker.db'}", domain=Domain.empty())
    events = [UserUttered("你好", {"name": "greet", "confidence": 1.0}), BotUttered("您好")]
    await store.save(DialogueStateTracker.from_events("rest:api", events))
    # e.g. Rasa's HTTP API replacing a conversation's events with a tracker it built itself
    rebuilt = DialogueStateTracker.from_events("rest:api", [*events, BotUttered("还有什么可以帮您")])
    await store.save(rebuilt)
    assert _stored(store, "rest:api") == ["user", "bot", "bot"]


def _turn(n: int) -> list:
    return [UserUttered(f"第{n}句", {"name": "ask_fee", "confidence": 1.0}), BotUttered(f"答{n}"),
            ActionExecuted("action_listen")]


async def test_a_long_conversation_is_decided_on_its_recent_turns_and_stored_whole(tmp_path: Path) -> None:
    domain = Domain.from_dict({"slots": {
        "matter_id": {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]},
        "place_id": {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]},
    }})
    store = MaskedSQLTrackerStore(dialect="sqlite", url=f"sqlite:///{tmp_path / 'tracker.db'}", domain=domain)
    tracker = await store.get_or_create_tracker("rest:long")
    tracker.update(SlotSet("matter_id", "cg-license-reissue"))  # set in the first turn, never again
    for n in range(30):
        for event in _turn(n) + ([SlotSet("place_id", f"p{n}")] if n == 20 else []):
            tracker.update(event)
    await store.save(tracker)
    loaded = await store.retrieve("rest:long")
    assert loaded is not None
    users = [e.text for e in loaded.events if isinstance(e, UserUttered)]
    assert users == [f"第{n}句" for n in range(30 - KEPT_TURNS, 30)]
    # slots set before the kept turns keep their values; later ones too
    assert loaded.get_slot("matter_id") == "cg-license-reissue" and loaded.get_slot("place_id") == "p20"
    # a turn on the loaded tracker appends its own events only; the database keeps every event
    for event in _turn(30):
        loaded.update(event)
    await store.save(loaded)
    stored = _stored(store, "rest:long")
    assert stored.count("user") == 31 and stored.count("session_started") == 0
    full = await store.retrieve_full_tracker("rest:long")
    assert full is not None and len([e for e in full.events if isinstance(e, UserUttered)]) == 31


async def test_a_form_open_at_the_cut_cannot_be_folded() -> None:
    before = [{"event": "action", "name": "action_listen"}, {"event": "active_loop", "name": "notice_form"}]
    recent = [{"event": "user", "text": "第一句"}, {"event": "action", "name": "action_listen"}]
    assert fold(before, recent) is None
    closed = [*before, {"event": "slot", "name": "matter_id", "value": "m1"}, {"event": "active_loop", "name": None}]
    folded = fold(closed, recent)
    assert folded is not None
    assert folded[:2] == [{"event": "action", "name": "action_session_start", "timestamp": None},
                          {"event": "session_started", "timestamp": None}]
    assert {"event": "slot", "name": "matter_id", "value": "m1", "timestamp": None} in folded
    assert folded[-3:] == [{"event": "action", "name": "action_listen", "timestamp": None}, *recent]
    # a restart before the cut forgets the slots set before it
    restarted = fold([*closed, {"event": "restart"}], recent)
    assert restarted is not None and not [e for e in restarted if e["event"] == "slot"]


async def test_a_form_open_before_the_recent_turns_loads_the_whole_session(tmp_path: Path) -> None:
    store = MaskedSQLTrackerStore(dialect="sqlite", url=f"sqlite:///{tmp_path / 'tracker.db'}", domain=Domain.empty())
    tracker = await store.get_or_create_tracker("rest:form")
    tracker.update(ActiveLoop("notice_form"))
    for n in range(KEPT_TURNS + 4):
        for event in _turn(n):
            tracker.update(event)
    await store.save(tracker)
    loaded = await store.retrieve("rest:form")
    assert loaded is not None and loaded.active_loop_name == "notice_form"
    assert len([e for e in loaded.events if isinstance(e, UserUttered)]) == KEPT_TURNS + 4
