"""Where things are in the hall, and leading visitors there (robots and guide screens)."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import replies
from actions.clients.knowledge import KnowledgeClient, NotFound, ServiceUnavailable
from actions.lead import guide_if_possible, holds
from actions.matters import ActionAnswerMatter
from actions.resolve import ask_which, resolve


async def windows_of(client: KnowledgeClient, matter_id: str | None) -> str | None:
    """The place record that holds a matter's windows (代开增值税发票 → 税务窗口), found by the
    department's name and checked against the hall and the window numbers; None if none does."""
    if not matter_id:
        return None
    matter = await client.record("matter", matter_id)
    result = await client.search(f"{matter.get('department_name', '')}窗口", kind="place", k=3)
    for hit in result["results"]:
        if holds(await client.record("place", hit["id"]), matter["location"]):
            return str(hit["id"])
    return None


async def shared_windows(client: KnowledgeClient, candidates: list[str]) -> str | None:
    """The place holding the windows of every pending candidate matter ("kind:id:name"), when one
    place holds them all (代开增值税发票 and 发票领用: the 税务窗口); else None."""
    matters = [c.split(":")[1] for c in candidates if c.startswith("matter:")]
    places = {await windows_of(client, m) for m in matters}
    return places.pop() if len(places) == 1 and matters else None


class ActionAnswerPlace(Action):
    def name(self) -> str:
        return "action_answer_place"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        asked_to_lead = tracker.get_intent_of_latest_message() == "guide_me"
        named = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
        if "matter" in named and "place" not in named and not asked_to_lead:
            # "社保卡挂失在哪办理" names a matter, not a place: where that matter is handled
            return await ActionAnswerMatter().answer(dispatcher, tracker, "ask_location")
        text = tracker.latest_message.get("text") or ""
        client = KnowledgeClient()
        try:
            resolution = await resolve(client, text, kind="place")
            place_id = resolution.hits[0]["id"] if resolution.outcome == "answer" else None
            if place_id is None and asked_to_lead:
                # "带我过去": the place just talked about, else the windows of the matter in context,
                # else those of the matters just offered, when they are all at one place
                place_id = tracker.get_slot("place_id") or await windows_of(client, tracker.get_slot("matter_id"))
                place_id = place_id or await shared_windows(client, tracker.get_slot("candidates") or [])
            if place_id is None and resolution.outcome == "ask":
                return ask_which(dispatcher, tracker, resolution.hits, "ask_place")
            if place_id is None:
                dispatcher.utter_message(
                    text=replies.WORDING["place_not_found"],
                    outcome=replies.NO_ANSWER,
                )
                return []
            place = await client.record("place", place_id)
        except NotFound:
            dispatcher.utter_message(text=replies.not_found_text(), outcome=replies.NO_ANSWER)
            return []
        except ServiceUnavailable:
            dispatcher.utter_message(text=replies.unavailable_text(), outcome=replies.NO_ANSWER)
            return []
        dispatcher.utter_message(text=replies.place_text(place))
        await guide_if_possible(dispatcher, tracker, place, asked_to_lead)
        return [SlotSet("place_id", place_id)]
