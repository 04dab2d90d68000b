"""Answer questions about matters (and theme services): the whole overview or one element,
following up on the matter in context, asking when unsure."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import replies
from actions.answers import answer_record
from actions.clients.knowledge import KnowledgeClient, NotFound, ServiceUnavailable
from actions.lead import holds
from actions.notices import start_events
from actions.resolve import (
    ask_which,
    asks_about_the_record_in_context,
    offered_in_words,
    offered_last_turn,
    pick_candidate,
    policy_or_theme_in_context,
    previous_intent,
    resolve_ellipsis,
    resolve_in_context,
    resolve_policy_ellipsis,
    says_words_of,
)
from actions.service import COMPLAINT_OFFER, file_offered_complaint, nothing_found, offer_complaint
from bot.components import acts

# intents answered with the one-time notice (actions/notices.py)
NOTICE_INTENTS = {"request_notice", "ask_materials"}
CLEARED: list[EventType] = [SlotSet("candidates", None), SlotSet("pending_intent", None)]


def pick_by_name(text: str, candidates: list[str]) -> str | None:
    """The pending candidate ("kind:id:name") the message names, fully or by a distinctive part."""
    bare = text.strip(" ，。？！?!的吧")
    named = [c for c in candidates if c.split(":", 2)[2] in text or (len(bare) >= 2 and bare in c.split(":", 2)[2])]
    return named[0] if len(named) == 1 else None


class ActionAnswerMatter(Action):
    def name(self) -> str:
        return "action_answer_matter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await self.answer(dispatcher, tracker, tracker.get_intent_of_latest_message() or "ask_matter")

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> list[EventType]:
        """Answer the element `intent` asks for, about the record the message names, or the matter
        in context when the message names nothing ("那要多少钱?")."""
        element = replies.ELEMENTS.get(intent, "overview")
        text = tracker.latest_message.get("text") or ""
        current = tracker.get_slot("matter_id")
        client = KnowledgeClient()
        try:
            # a candidate named while a choice is pending ("签发的") settles the choice
            picked = pick_by_name(text, tracker.get_slot("candidates") or [])
            if picked is not None:
                kind, record_id = picked.split(":")[:2]
                if element == "overview":  # "换发的" answers what was asked before the choice
                    element = replies.ELEMENTS.get(tracker.get_slot("pending_intent") or "", "overview")
                return [*await answer_record(client, dispatcher, kind, record_id, element, tracker), *CLEARED]
            topic = acts.ellipsis_topic(text) if element == "overview" else None
            # a new topic of one word ("电呢", "个体的呢") is no follow-up, though it names little
            if current and topic is None and acts.is_follow_up(text):
                return await answer_record(client, dispatcher, "matter", current, element)
            # the policy or theme service answered last, when no matter is in context
            other = policy_or_theme_in_context(tracker)
            if topic is not None:
                # "那行驶证呢" after "驾照丢了怎么补": the same question about the new topic
                element = replies.ELEMENTS.get(previous_intent(tracker) or "", "overview")
                resolution = await resolve_ellipsis(client, topic, current)
                if other is not None and other[0] == "policy" and resolution.outcome != "answer":
                    # unsure right after a policy: the topic's policies ("那增值税呢"); a topic
                    # naming one record ("创业担保贷款呢") is that record
                    resolution = await resolve_policy_ellipsis(client, topic) or resolution
            elif other is not None and acts.is_follow_up(text):
                return await answer_record(client, dispatcher, *other, element, tracker)
            else:
                # anything else names its own topic: it replaces the one in context (an unsure
                # one is read about the matter in context first)
                resolution = await resolve_in_context(client, text, current)
                if other is not None and asks_about_the_record_in_context(text, resolution):
                    # "具体怎么办，给我说说流程" after 企业注销一件事
                    return await answer_record(client, dispatcher, *other, element, tracker)
            in_words = offered_in_words(text, tracker.get_slot("candidates") or [], resolution)
            if in_words is not None and offered_last_turn(tracker):
                kind, record_id = in_words.split(":")[:2]
                return [*await answer_record(client, dispatcher, kind, record_id, element, tracker), *CLEARED]
            top = resolution.hits[0] if resolution.hits else None
            # a confident record of another kind (a policy, a place) is still the right answer
            if resolution.outcome == "answer" and top is not None:
                return [*await answer_record(client, dispatcher, top["kind"], top["id"], element, tracker), *CLEARED]
            if resolution.outcome == "ask":
                # unsure between records of which exactly one was offered in the pending choice
                # ("签注一年一次是吧，在哪签" after 居住证's choice): the conversation settles it
                offered = {":".join(c.split(":")[:2]) for c in tracker.get_slot("candidates") or []}
                among = [h for h in resolution.hits if f"{h['kind']}:{h['id']}" in offered]
                if len(among) == 1:
                    events = await answer_record(client, dispatcher, among[0]["kind"], among[0]["id"], element, tracker)
                    return [*events, *CLEARED]
                if element == "location":
                    answered = await self._same_place(client, dispatcher, tracker, resolution.hits)
                    if answered is not None:
                        return [*answered, *CLEARED]
                if acts.tells_a_grievance(text) and not any(says_words_of(text, h["name"]) for h in resolution.hits):
                    # "打你们电话打了一下午都没人接", "那小姑娘把我材料直接扔回来了，一句话都没说":
                    # records found by no word of it are no choice
                    return offer_complaint(dispatcher, tracker, text)
                return ask_which(dispatcher, tracker, resolution.hits, intent)
            return nothing_found(dispatcher, tracker, text)
        except NotFound:
            dispatcher.utter_message(text=replies.not_found_text(), outcome=replies.NO_ANSWER)
            return [SlotSet("matter_id", None)]
        except ServiceUnavailable:
            dispatcher.utter_message(text=replies.unavailable_text(), outcome=replies.NO_ANSWER)
            return []

    @staticmethod
    async def _same_place(
        client: KnowledgeClient, dispatcher: CollectingDispatcher, tracker: Tracker, hits: list[dict[str, Any]]
    ) -> list[EventType] | None:
        """A where-question needs no choice when every candidate is at the same windows
        (护照签发 and 护照补发 are both at the 出入境 windows): the place among the candidates that
        holds them is answered, and shown the way to ("社保在哪" → 社保窗口), else the matters are
        named together. None when the candidates are in different places."""
        if any(h["kind"] not in ("matter", "place") for h in hits):
            return None
        # a place record's own "kind" says what it is (window, area, hall): the hit says place
        records = [(h, await client.record(h["kind"], h["id"])) for h in hits]
        matters = [r for h, r in records if h["kind"] == "matter"]
        places = {(r["location"]["hall"], tuple(r["location"]["windows"])) for r in matters}
        if len(places) != 1:
            return None
        hall, windows = places.pop()
        # a place among the candidates must contain those windows (出入境窗口 holds 1-4)
        holding = [(h, r) for h, r in records if h["kind"] == "place"]
        if not all(holds(r, {"hall": hall, "windows": windows}) for _, r in holding):
            return None
        if holding:
            return await answer_record(client, dispatcher, "place", holding[0][0]["id"], "location", tracker)
        names = "、".join(replies.title(r) for r in matters)
        dispatcher.utter_message(text=replies.same_place_text(names, matters[0]))
        return []


class ActionChooseOption(Action):
    """The user picked one of the offered candidates, by button, ordinal or name. Without
    pending options, "好的" or "第二个" get a way forward, never a guessed choice."""

    def name(self) -> str:
        return "action_choose_option"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        candidates: list[str] = tracker.get_slot("candidates") or []
        intent = tracker.get_intent_of_latest_message()
        choice = next(tracker.get_latest_entity_values("choice"), None)
        picked = next((c for c in candidates if choice and c.startswith(f"{choice}:")), None)
        if picked is None and choice and choice.count(":") == 1:
            picked = f"{choice}:"  # a button from an earlier turn: still a catalog record
        # a yes answers only the question just asked: "好的" a turn after a choice picks nothing
        if picked is None and (not candidates or (intent == "affirm" and not offered_last_turn(tracker))):
            # nothing was offered: "好的" after an answer, or "第二个" with no list open
            key = "affirm_nothing_pending" if intent == "affirm" else "choice_nothing_pending"
            dispatcher.utter_message(text=replies.WORDING[key])
            return []
        if picked is None:
            text = tracker.latest_message.get("text") or ""
            picked = candidates[0] if intent == "affirm" else pick_candidate(text, candidates)
        if picked is None:
            dispatcher.utter_message(text=replies.WORDING["choice_not_understood"])
            return []
        if picked.startswith(f"{COMPLAINT_OFFER}:"):
            # the offered ticket: by its button, or in words right after the offer
            if not (choice or offered_last_turn(tracker)):
                dispatcher.utter_message(text=replies.WORDING["choice_nothing_pending"])
                return []
            return [*await file_offered_complaint(dispatcher, tracker), *CLEARED]
        kind, record_id = picked.split(":")[:2]
        pending = tracker.get_slot("pending_intent") or "ask_matter"
        cleared = CLEARED
        if pending in NOTICE_INTENTS and kind == "matter":
            # the choice was for a notice: its questions come next
            try:
                events = await start_events(KnowledgeClient(), dispatcher, record_id)
            except (NotFound, ServiceUnavailable):
                dispatcher.utter_message(text=replies.unavailable_text(), outcome=replies.NO_ANSWER)
                return cleared
            return [*events, *cleared, FollowupAction("notice_form")]
        element = replies.ELEMENTS.get(pending, "overview")
        client = KnowledgeClient()
        try:
            events = await answer_record(client, dispatcher, kind, record_id, element, tracker)
        except NotFound:
            dispatcher.utter_message(text=replies.not_found_text(), outcome=replies.NO_ANSWER)
            return [SlotSet("candidates", None), SlotSet("pending_intent", None)]
        except ServiceUnavailable:
            dispatcher.utter_message(text=replies.unavailable_text(), outcome=replies.NO_ANSWER)
            return []
        return [*events, *cleared]
