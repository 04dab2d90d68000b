"""Answer questions about matters (and theme services): the whole overview or one element,
following up on the matter in context, asking when unsure."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.clients.knowledge import KnowledgeClient, NotFound, ServiceUnavailable
from actions.resolve import choice_prompt, is_voice, pick_candidate, resolve


# intents answered with the one-time notice (actions/notices.py)
NOTICE_INTENTS = {"request_notice", "ask_materials"}


async def answer_record(
    client: KnowledgeClient, dispatcher: CollectingDispatcher, kind: str, record_id: str, element: str
) -> list[EventType]:
    """Fetch the record and answer `element` from it; sets the context slots."""
    record = await client.record(kind, record_id)
    if kind == "matter":
        dispatcher.utter_message(text=replies.element_text(record, element))
        return [SlotSet("matter_id", record_id), SlotSet("matter_name", record["name"])]
    if kind == "theme":
        dispatcher.utter_message(text=replies.theme_text(record))
        return [SlotSet("matter_id", None), SlotSet("matter_name", record["name"])]
    if kind == "policy":
        dispatcher.utter_message(text=replies.policy_text(record))
        return [SlotSet("policy_id", record_id)]
    dispatcher.utter_message(text=replies.place_text(record))
    return [SlotSet("place_id", record_id)]


class ActionAnswerMatter(Action):
    def name(self) -> str:
        return "action_answer_matter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return await self.answer(dispatcher, tracker, tracker.get_intent_of_latest_message() or "ask_matter")

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> list[EventType]:
        """Answer the element `intent` asks for, about the matter the message or the context names."""
        element = replies.ELEMENTS.get(intent, "overview")
        text = tracker.latest_message.get("text") or ""
        current = tracker.get_slot("matter_id")
        mentioned = bool(list(tracker.get_latest_entity_values("matter")))
        client = KnowledgeClient()
        try:
            resolution = await resolve(client, text, kind=None)
            top = resolution.hits[0] if resolution.hits else None
            # A follow-up ("那要多少钱?") names no matter: keep the one in context unless the
            # message clearly names another record.
            if current and not mentioned and resolution.outcome != "answer":
                return await answer_record(client, dispatcher, "matter", current, element)
            # a confident record of another kind (a policy, a place) is still the right answer
            if resolution.outcome == "answer" and top is not None:
                return await answer_record(client, dispatcher, top["kind"], top["id"], element)
            if resolution.outcome == "ask":
                if element == "location" and await self._same_place(client, dispatcher, resolution.hits):
                    return []
                return self._ask(dispatcher, tracker, resolution.hits, intent)
            dispatcher.utter_message(text=replies.not_found_text())
            return []
        except NotFound:
            dispatcher.utter_message(text=replies.not_found_text())
            return [SlotSet("matter_id", None)]
        except ServiceUnavailable:
            dispatcher.utter_message(text=replies.unavailable_text())
            return []

    @staticmethod
    async def _same_place(
        client: KnowledgeClient, dispatcher: CollectingDispatcher, hits: list[dict[str, Any]]
    ) -> bool:
        """A where-question needs no choice when every candidate is at the same windows
        (护照签发 and 护照补发 are both at the 出入境 windows)."""
        if any(h["kind"] not in ("matter", "place") for h in hits):
            return False
        records = [await client.record(h["kind"], h["id"]) for h in hits]
        matters = [r for r in records if r["kind"] == "matter"]
        places = {(r["location"]["hall"], tuple(r["location"]["windows"])) for r in matters}
        if len(places) != 1:
            return False
        hall, windows = places.pop()
        # a place among the candidates must contain those windows (出入境窗口 holds 1-4)
        for place in (r for r in records if r["kind"] == "place"):
            if place.get("hall") != hall or not set(windows) <= set(place.get("windows") or ()):
                return False
        names = "、".join(replies.title(r) for r in matters)
        dispatcher.utter_message(
            text=f"{names}都在{replies.location_text(matters[0])}办理。{replies.HALL_WAYS.get(hall, '')}。"
        )
        return True

    @staticmethod
    def _ask(
        dispatcher: CollectingDispatcher, tracker: Tracker, hits: list[dict[str, Any]], intent: str
    ) -> list[EventType]:
        text, buttons = choice_prompt(hits, is_voice(tracker))
        dispatcher.utter_message(text=text, buttons=buttons)
        offered = hits[: 2 if is_voice(tracker) else 3]
        return [
            SlotSet("candidates", [f"{h['kind']}:{h['id']}:{h['name']}" for h in offered]),
            SlotSet("pending_intent", intent),
        ]


class ActionChooseOption(Action):
    """The user picked one of the offered candidates, by button, ordinal or name."""

    def name(self) -> str:
        return "action_choose_option"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        candidates: list[str] = tracker.get_slot("candidates") or []
        choice = next(tracker.get_latest_entity_values("choice"), None)
        picked = next((c for c in candidates if choice and c.startswith(f"{choice}:")), None)
        if picked is None and choice and choice.count(":") == 1:
            picked = f"{choice}:"  # a button from an earlier turn: still a catalog record
        if picked is None:
            text = tracker.latest_message.get("text") or ""
            if tracker.get_intent_of_latest_message() == "affirm" and candidates:
                picked = candidates[0]
            else:
                picked = pick_candidate(text, candidates)
        if picked is None:
            dispatcher.utter_message(
                text="抱歉，我没听清您选的是哪一个。可以说“第一个”“第二个”，或直接说事项名称。"
            )
            return []
        kind, record_id = picked.split(":")[:2]
        pending = tracker.get_slot("pending_intent") or "ask_matter"
        cleared = [SlotSet("candidates", None), SlotSet("pending_intent", None)]
        if pending in NOTICE_INTENTS and kind == "matter":
            # the choice was for a notice: its questions come next
            from actions.notices import start_events  # here: actions.notices imports this module

            try:
                events = await start_events(KnowledgeClient(), dispatcher, record_id)
            except (NotFound, ServiceUnavailable):
                dispatcher.utter_message(text=replies.unavailable_text())
                return cleared
            return [*events, *cleared, FollowupAction("notice_form")]
        element = replies.ELEMENTS.get(pending, "overview")
        client = KnowledgeClient()
        try:
            events = await answer_record(client, dispatcher, kind, record_id, element)
        except NotFound:
            dispatcher.utter_message(text=replies.not_found_text())
            return [SlotSet("candidates", None), SlotSet("pending_intent", None)]
        except ServiceUnavailable:
            dispatcher.utter_message(text=replies.unavailable_text())
            return []
        return [*events, *cleared]
