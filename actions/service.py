"""Complaints (办不成事), human handoff and satisfaction feedback."""

from __future__ import annotations

import logging

from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import replies, store
from actions.clients.knowledge import KnowledgeClient, NotFound, ServiceUnavailable
from actions.resolve import channel_of, is_voice
from bot.components import acts
from common.pii import mask_pii

logger = logging.getLogger(__name__)


# the pending candidate ("kind:id:name", actions/resolve.py) of a ticket offered
COMPLAINT_OFFER = "complaint:offer"


class ActionFileComplaint(Action):
    """A complaint in explicit words (投诉, 举报, 我要反映) is filed at once; a grievance in softer
    words is offered a ticket, filed when the user accepts (file_offered_complaint)."""

    def name(self) -> str:
        return "action_file_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if acts.files_at_once(text):
            await file_complaint(dispatcher, tracker, text)
            return []
        return offer_complaint(dispatcher, tracker, text)


def offer_complaint(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[EventType]:
    """Ask whether to register the grievance; the words wait in a slot, masked, with their phone
    numbers sealed, as the ticket would store them."""
    dispatcher.utter_message(
        text=replies.complaint_offer_text(is_voice(tracker)),
        buttons=[
            {"title": replies.COMPLAINT_OFFER_BUTTON, "payload": f'/choose_option{{"choice": "{COMPLAINT_OFFER}"}}'},
            {"title": replies.COMPLAINT_DECLINE_BUTTON, "payload": "/deny"},
        ],
    )
    return [
        SlotSet("candidates", [f"{COMPLAINT_OFFER}:{replies.COMPLAINT_OFFER_BUTTON}"]),
        SlotSet("pending_intent", "complain"),
        SlotSet("complaint_draft", {"text": mask_pii(text), "contact": store.seal_contact(text)}),
    ]


def nothing_found(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[EventType]:
    """The catalog has nothing for the message: a grievance is offered a ticket, anything else
    hears so."""
    if acts.tells_a_grievance(text):
        return offer_complaint(dispatcher, tracker, text)
    dispatcher.utter_message(text=replies.not_found_text(), outcome=replies.NO_ANSWER)
    return []


async def file_offered_complaint(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The user accepted the offered ticket: file the words told with the offer."""
    draft = tracker.get_slot("complaint_draft")
    if not draft:
        dispatcher.utter_message(text=replies.WORDING["affirm_nothing_pending"])
        return []
    await file_complaint(dispatcher, tracker, draft["text"], draft.get("contact"))
    return [SlotSet("complaint_draft", None)]


async def file_complaint(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str, contact: str | None = None
) -> None:
    """File the ticket, and tell the user its number and who follows up."""
    matter_id = tracker.get_slot("matter_id")
    channel = channel_of(tracker)
    number = store.file_complaint(tracker.sender_id, channel, text, matter_id, contact=contact)
    # the ticket keeps the words for the staff who follow up; the log gets them masked
    logger.info("complaint %s filed: %s", number, mask_pii(text))
    # the work order names the department of the matter in context, when there is one
    department = None
    if matter_id:
        try:
            department = (await KnowledgeClient().record("matter", matter_id)).get("department_name")
        except (NotFound, ServiceUnavailable):
            pass
    dispatcher.utter_message(
        json_message={
            "work_order": {
                "number": number,
                "type": replies.COMPLAINT_TYPE,
                "matter_id": matter_id,
                "department": department,
            }
        }
    )
    dispatcher.utter_message(text=replies.complaint_text(number, channel))


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        channel = channel_of(tracker)
        dispatcher.utter_message(
            json_message={
                "handoff": {
                    "reason": tracker.get_intent_of_latest_message(),
                    "channel": channel,
                    "sender": tracker.sender_id,
                    "matter_id": tracker.get_slot("matter_id"),
                    "to": replies.AGENTS if channel == "hotline" else replies.DESK,
                }
            }
        )
        dispatcher.utter_message(text=replies.handoff_text(channel))
        store.log_question(tracker.latest_message.get("text") or "", None, "handoff", tracker.get_slot("matter_id"),
                           None, channel)
        return []


def previous_question(tracker: Tracker) -> str:
    """The user's message before the latest one: what a 👎 is about."""
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return texts[-2] if len(texts) >= 2 else ""


class ActionStoreFeedback(Action):
    def name(self) -> str:
        return "action_store_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        satisfied = tracker.get_intent_of_latest_message() == "feedback_good"
        store.store_feedback(
            tracker.sender_id,
            channel_of(tracker),
            satisfied,
            tracker.latest_message.get("text") or "",
            tracker.get_slot("matter_id"),
        )
        question = previous_question(tracker)
        if not satisfied and question:
            # the question the answer failed: into the console's queue of questions to fix
            store.log_question(question, None, "disliked", tracker.get_slot("matter_id"), None, channel_of(tracker))
        if satisfied:
            dispatcher.utter_message(text=replies.FEEDBACK_THANKS)
        else:
            dispatcher.utter_message(text=replies.FEEDBACK_SORRY)
        return []


class ActionCoreFallback(Action):
    """When the dialogue policies are unsure what to do next: say so, offer the ways forward,
    and forget the turn so the conversation carries on as before it."""

    def name(self) -> str:
        return "action_core_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=replies.not_understood_text(), outcome=replies.NO_ANSWER)
        return [UserUtteranceReverted()]
