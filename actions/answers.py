"""Answer one record: the element asked of a matter, a policy, a theme service or a place, and
the context slots that make it the topic. Shared by the matter, policy and notice actions."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker

from actions import replies
from actions.clients.knowledge import KnowledgeClient
from actions.lead import guide_if_possible
from bot.components import acts


async def answer_record(
    client: KnowledgeClient,
    dispatcher: CollectingDispatcher,
    kind: str,
    record_id: str,
    element: str,
    tracker: Tracker | None = None,
) -> list[EventType]:
    """Fetch the record and answer `element` from it; sets the context slots. A place is also
    shown the way to on a robot or a screen (with the `tracker` that says which)."""
    record = await client.record(kind, record_id)
    if kind == "matter":
        dispatcher.utter_message(text=replies.element_text(record, element))
        events = [SlotSet("matter_id", record_id), SlotSet("matter_name", record["name"]), SlotSet("theme_id", None)]
    elif kind == "theme":
        text = (tracker.latest_message.get("text") or "") if tracker is not None else ""
        if element in ("conditions", "visits") and acts.asks_to_do_together(text):
            # "能一块儿办不", "有没有能一次办完的" ask what the theme is, not its matters' conditions
            # or visits ("一起办的那个一件事，流程是啥样的" still asks how it runs)
            element = "overview"
        asks_its_matters = element in replies.THEME_MATTER_ELEMENTS
        matters = [await client.record("matter", m) for m in record["matters"]] if asks_its_matters else []
        dispatcher.utter_message(text=replies.theme_element_text(record, element, matters))
        events = [
            SlotSet("theme_id", record_id), SlotSet("policy_id", None),
            SlotSet("matter_id", None), SlotSet("matter_name", record["name"]),
        ]
        element = element if element in replies.THEME_ELEMENTS or asks_its_matters else "overview"
    elif kind == "policy":
        dispatcher.utter_message(text=replies.policy_element_text(record, element))
        # the policy is now the topic: "在哪办" follows up on it, not on an earlier matter
        events = [
            SlotSet("policy_id", record_id), SlotSet("theme_id", None),
            SlotSet("matter_id", None), SlotSet("matter_name", None),
        ]
        element = element if element in replies.POLICY_ELEMENTS else "overview"
    else:
        dispatcher.utter_message(text=replies.place_text(record))
        if tracker is not None:
            await guide_if_possible(dispatcher, tracker, record, asked_to_lead=False)
        events, element = [SlotSet("place_id", record_id)], "location"
    return [*events, SlotSet("answered_element", element)]
