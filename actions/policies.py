"""Policy questions, and the policy-matching form that collects a profile step by step."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import profile_parsing as parse
from actions import replies
from actions.answers import answer_record
from actions.clients.knowledge import KnowledgeClient, NotFound, ServiceUnavailable
from actions.resolve import ask_which, resolve

ORGANISATION_SLOTS = ["pm_size", "pm_employees", "pm_registration_years", "pm_graduates_hired"]
PERSON_SLOTS = ["pm_age", "pm_is_graduate", "pm_owns_local_house"]
PROFILE_SLOTS = ["pm_entity_type", *ORGANISATION_SLOTS, *PERSON_SLOTS]


def _buttons(*titles: str) -> list[dict[str, str]]:
    return [{"title": t, "payload": t} for t in titles]


# The answer buttons of each profile slot's question (replies.PROFILE_QUESTIONS); a button sends
# its title, which the form's validation reads as the value.
ANSWER_BUTTONS: dict[str, list[dict[str, str]]] = {
    "pm_entity_type": _buttons("企业", "个体工商户", "社会组织", "个人"),
    "pm_size": _buttons("微型", "小型", "中型", "大型"),
    "pm_is_graduate": _buttons("是", "不是"),
    "pm_owns_local_house": _buttons("有住房", "没有住房"),
}


class AskProfile:
    """Asks for one profile slot of the policy-matching form (action_ask_<slot>); one subclass
    per slot, as the SDK registers actions by class."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(
            text=replies.PROFILE_QUESTIONS[self.slot], buttons=ANSWER_BUTTONS.get(self.slot, [])
        )
        return []


class ActionAskEntityType(AskProfile, Action):
    slot = "pm_entity_type"


class ActionAskSize(AskProfile, Action):
    slot = "pm_size"


class ActionAskEmployees(AskProfile, Action):
    slot = "pm_employees"


class ActionAskRegistrationYears(AskProfile, Action):
    slot = "pm_registration_years"


class ActionAskGraduatesHired(AskProfile, Action):
    slot = "pm_graduates_hired"


class ActionAskAge(AskProfile, Action):
    slot = "pm_age"


class ActionAskIsGraduate(AskProfile, Action):
    slot = "pm_is_graduate"


class ActionAskOwnsLocalHouse(AskProfile, Action):
    slot = "pm_owns_local_house"


class ActionAnswerPolicy(Action):
    def name(self) -> str:
        return "action_answer_policy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        client = KnowledgeClient()
        text = tracker.latest_message.get("text") or ""
        try:
            resolution = await resolve(client, text, kind="policy")
            if resolution.outcome == "answer":
                return await answer_record(client, dispatcher, "policy", resolution.hits[0]["id"], "overview")
            if resolution.outcome == "ask":
                return ask_which(dispatcher, tracker, resolution.hits, "ask_policy")
        except NotFound:
            pass
        except ServiceUnavailable:
            dispatcher.utter_message(text=replies.unavailable_text(), outcome=replies.NO_ANSWER)
            return []
        dispatcher.utter_message(text=replies.POLICY_NOT_FOUND, outcome=replies.NO_ANSWER)
        return []


class ValidatePolicyMatchForm(FormValidationAction):
    def name(self) -> str:
        return "validate_policy_match_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("pm_cancelled"):
            return []  # nothing more to ask: the form ends and the submit action says so
        entity_type = tracker.get_slot("pm_entity_type")
        if entity_type is None:
            return ["pm_entity_type"]
        if entity_type == "个人":
            return ["pm_entity_type", *PERSON_SLOTS]
        return ["pm_entity_type", *ORGANISATION_SLOTS]

    def _number(self, slot: str, value: Any, dispatcher: CollectingDispatcher, ask: str) -> dict[str, Any]:
        number = parse.chinese_number(str(value or ""))
        if number is None:
            dispatcher.utter_message(text=replies.number_retry_text(ask))
            return {slot: None}
        return {slot: number}

    def validate_pm_entity_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse.cancels(str(value or "")):
            return {"pm_entity_type": None, "pm_cancelled": True}
        found = parse.entity_type(str(value or ""))
        if found is None:
            dispatcher.utter_message(text=replies.PROFILE_RETRY["pm_entity_type"])
        return {"pm_entity_type": found}

    def validate_pm_size(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse.cancels(str(value or "")):
            return {"pm_size": None, "pm_cancelled": True}
        found = parse.size(str(value or ""))
        if found is None:
            dispatcher.utter_message(text=replies.PROFILE_RETRY["pm_size"])
        return {"pm_size": found}

    def validate_pm_employees(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse.cancels(str(value or "")):
            return {"pm_employees": None, "pm_cancelled": True}
        return self._number("pm_employees", value, dispatcher, "30人")

    def validate_pm_registration_years(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse.cancels(str(value or "")):
            return {"pm_registration_years": None, "pm_cancelled": True}
        return self._number("pm_registration_years", value, dispatcher, "2年")

    def validate_pm_graduates_hired(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse.cancels(str(value or "")):
            return {"pm_graduates_hired": None, "pm_cancelled": True}
        text = str(value or "")
        if parse.yes_no(text) is False and parse.chinese_number(text) is None:
            return {"pm_graduates_hired": 0}
        return self._number("pm_graduates_hired", value, dispatcher, "3个")

    def validate_pm_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse.cancels(str(value or "")):
            return {"pm_age": None, "pm_cancelled": True}
        return self._number("pm_age", value, dispatcher, "25岁")

    def _yes_no(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        answer = parse.yes_no(str(value or ""))
        if answer is None:
            dispatcher.utter_message(text=replies.PROFILE_RETRY["yes_no"])
        return {slot: answer}

    def validate_pm_is_graduate(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse.cancels(str(value or "")):
            return {"pm_is_graduate": None, "pm_cancelled": True}
        return self._yes_no("pm_is_graduate", value, dispatcher)

    def validate_pm_owns_local_house(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse.cancels(str(value or "")):
            return {"pm_owns_local_house": None, "pm_cancelled": True}
        return self._yes_no("pm_owns_local_house", value, dispatcher)


def profile_from_slots(tracker: Tracker) -> dict[str, Any]:
    fields = {
        "pm_entity_type": "entity_type",
        "pm_size": "size",
        "pm_employees": "employees",
        "pm_registration_years": "registration_years",
        "pm_graduates_hired": "graduates_hired",
        "pm_age": "age",
        "pm_is_graduate": "is_graduate",
        "pm_owns_local_house": "owns_local_house",
    }
    integers = {"employees", "graduates_hired", "age"}
    profile: dict[str, Any] = {}
    for slot, field in fields.items():
        value = tracker.get_slot(slot)
        if value is not None:
            profile[field] = int(value) if field in integers else value
    return profile


class ActionMatchPolicies(Action):
    def name(self) -> str:
        return "action_match_policies"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = [SlotSet(slot, None) for slot in (*PROFILE_SLOTS, "pm_cancelled")]
        if tracker.get_slot("pm_cancelled"):
            dispatcher.utter_message(text=replies.POLICY_MATCH_CANCELLED)
            return reset
        try:
            matches = await KnowledgeClient().match_policies(profile_from_slots(tracker))
        except (ServiceUnavailable, NotFound):
            dispatcher.utter_message(text=replies.unavailable_text(), outcome=replies.NO_ANSWER)
            return reset
        eligible = [m for m in matches if m["eligible"]]
        pending = [m for m in matches if not m["eligible"]]
        dispatcher.utter_message(text=replies.policy_matches_text(eligible, pending))
        return reset
