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
from actions.clients.knowledge import KnowledgeClient, NotFound, ServiceUnavailable
from actions.matters import answer_record
from actions.resolve import ask_which, resolve

ORGANISATION_SLOTS = ["pm_size", "pm_employees", "pm_registration_years", "pm_graduates_hired"]
PERSON_SLOTS = ["pm_age", "pm_is_graduate", "pm_owns_local_house"]
PROFILE_SLOTS = ["pm_entity_type", *ORGANISATION_SLOTS, *PERSON_SLOTS]


def _buttons(*titles: str) -> list[dict[str, str]]:
    return [{"title": t, "payload": t} for t in titles]


# The form's questions, one per profile slot; buttons send their title as the answer.
QUESTIONS: dict[str, tuple[str, list[dict[str, str]]]] = {
    "pm_entity_type": ("请问您是以什么身份申请？", _buttons("企业", "个体工商户", "社会组织", "个人")),
    "pm_size": ("企业规模是？", _buttons("微型", "小型", "中型", "大型")),
    "pm_employees": ("现有职工多少人？", []),
    "pm_registration_years": ("注册成立几年了？", []),
    "pm_graduates_hired": ("今年招用了几名应届高校毕业生或登记失业青年？没有就说“没有”。", []),
    "pm_age": ("请问您的年龄？", []),
    "pm_is_graduate": ("您是毕业两年内的高校毕业生吗？", _buttons("是", "不是")),
    "pm_owns_local_house": ("您在本市有自有住房吗？", _buttons("有住房", "没有住房")),
}


class AskProfile:
    """Asks for one profile slot of the policy-matching form (action_ask_<slot>); one subclass
    per slot, as the SDK registers actions by class."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text, buttons = QUESTIONS[self.slot]
        dispatcher.utter_message(
            text=f"{text}（说“取消”可退出）" if self.slot == "pm_entity_type" else text, buttons=buttons
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
        dispatcher.utter_message(
            text="抱歉，政策库里没有找到对应的政策。您可以说“帮我匹配政策”，我按您的情况逐项查；"
            f"也可以拨打{replies.HOTLINE}热线咨询。",
            outcome=replies.NO_ANSWER,
        )
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
            dispatcher.utter_message(text=f"没听明白，请说一个数字，比如“{ask}”。")
            return {slot: None}
        return {slot: number}

    def validate_pm_entity_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse.cancels(str(value or "")):
            return {"pm_entity_type": None, "pm_cancelled": True}
        found = parse.entity_type(str(value or ""))
        if found is None:
            dispatcher.utter_message(text="请说明是企业、个体工商户、社会组织，还是个人。")
        return {"pm_entity_type": found}

    def validate_pm_size(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if parse.cancels(str(value or "")):
            return {"pm_size": None, "pm_cancelled": True}
        found = parse.size(str(value or ""))
        if found is None:
            dispatcher.utter_message(text="请说明规模：微型、小型、中型或大型。")
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
            dispatcher.utter_message(text="请回答“是”或“不是”。")
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
            dispatcher.utter_message(text="好的，已取消政策匹配。还有什么可以帮您？")
            return reset
        try:
            matches = await KnowledgeClient().match_policies(profile_from_slots(tracker))
        except (ServiceUnavailable, NotFound):
            dispatcher.utter_message(text=replies.unavailable_text(), outcome=replies.NO_ANSWER)
            return reset
        eligible = [m for m in matches if m["eligible"]]
        pending = [m for m in matches if not m["eligible"]]
        if not matches:
            dispatcher.utter_message(
                text=f"按您提供的情况，政策库中暂未匹配到可享受的政策。详情可拨打{replies.HOTLINE}咨询。"
            )
            return reset
        lines = [f"按您提供的情况，匹配到{len(eligible)}项可享受的政策："]
        for match in eligible[:6]:
            lines.append(f"· 【{match['name']}】（{match['mode']}）{match['benefit']}")
        if pending:
            lines.append(f"另有{len(pending)}项政策还需确认条件，例如：")
            for match in pending[:3]:
                missing = "；".join(c["text"] for c in match["conditions_missing"])
                lines.append(f"· 【{match['name']}】（{match['mode']}）还需确认：{missing}")
        lines.append("免申即享的政策无需申请，符合条件自动兑现；其他政策可问我具体怎么申请。")
        dispatcher.utter_message(text="\n".join(lines))
        return reset
