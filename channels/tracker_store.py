"""Rasa's SQL tracker store, with identity, phone and bank card numbers masked before any event
is written: user text, parse data, entities, slot values, bot replies and metadata alike.

The conversation in memory keeps the raw text for the turn that is running (an action filing
a complaint reads it there); what reaches the database, and so every later turn, is masked.
endpoints.yml names this class as `type:`; its `url:` arrives here as `host`.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from common.pii import mask_data


class MaskedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, host: str | None = None, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(host=url or host, **kwargs)

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
