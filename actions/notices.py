"""The one-time complete notice (一次性告知): ask only the situation questions that decide the
materials, one at a time, then issue the notice through the knowledge service."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import replies
from actions.answers import answer_record
from actions.clients.bridge import show_on_screen
from actions.clients.knowledge import KnowledgeClient, NotFound, ServiceUnavailable
from actions.profile_parsing import cancels
from actions.resolve import (
    Resolution,
    ask_which,
    asks_about_the_record_in_context,
    channel_of,
    is_voice,
    matter_reading,
    policy_or_theme_in_context,
    previous_intent,
    resolve,
    resolve_ellipsis,
    resolve_in_context,
    says_words_of,
    two_character_runs,
)
from actions.service import nothing_found
from bot.components import acts

MAX_SITUATIONS = 6
SITUATION_SLOTS = [f"situation_{i}" for i in range(1, MAX_SITUATIONS + 1)]
UNKNOWN = "不清楚"
# "the rest I don't know": answer every remaining question 不清楚 and issue the notice now
REST_UNKNOWN_WORDS = ("都不清楚", "都不知道", "其他不清楚", "其余不清楚", "剩下的不清楚", "直接给我", "直接出", "跳过")
UNKNOWN_WORDS = ("不清楚", "不知道", "不确定", "不太清楚", "说不好", "没想好", "看情况")
# everyday ways of saying who does it: 我自己去 → 本人, 帮我妈办 → 委托代办
SELF_WORDS = ("本人", "我自己", "自己去", "自己办", "亲自", "我去")
PROXY_WORDS = (
    "代办",
    "代理",
    "委托",
    "帮我",
    "帮他",
    "帮她",
    "替",
    "我妈",
    "我爸",
    "家里人",
    "家人",
    "老人",
    "孩子",
    "别人",
    "朋友",
    "亲戚",
)
ORDINALS = {"第一": 0, "第二": 1, "第三": 2, "第四": 3, "1": 0, "2": 1, "3": 2, "4": 3}
# a question longer than this may hold an option's words by chance ("个人所得税年度汇算在手机上能弄吗"
# holds 个人, "证明我和我爸的关系，要带啥" 我爸): the search is asked whether it is about another record
LONG_ANSWER_CHARS = 8


def needed_situations(matter: dict[str, Any]) -> list[dict[str, Any]]:
    """The situations at least one material depends on, in catalog order."""
    used = {key for material in matter["materials"] for key in (material.get("applies_when") or {})}
    return [
        {"key": s["key"], "question": s["question"], "options": s["options"]}
        for s in matter.get("situations", [])
        if s["key"] in used
    ][:MAX_SITUATIONS]


def understand_option(text: str, options: list[str]) -> str | None:
    """The option a free answer means, or None. Buttons send the option itself."""
    text = text.strip()
    if text in options or text == UNKNOWN:
        return text
    # a question carries no answer in words that merely occur in it: "前车牌不知道啥时候掉了，补牌
    # 要几天" does not answer 不清楚, "信用服务区在哪" does not answer the option 在
    question = acts.is_question(text)
    if any(word in text for word in UNKNOWN_WORDS) and not question:
        return UNKNOWN
    for option in options:
        if (option in text and (len(option) >= 2 or not question)) or (len(text) >= 2 and text in option):
            return option
    proxy = [o for o in options if any(w in o for w in ("代", "委托"))]
    self_ = [o for o in options if "本人" in o or "自己" in o]
    if len(proxy) == 1 and any(w in text for w in PROXY_WORDS):
        return proxy[0]
    if len(self_) == 1 and any(w in text for w in SELF_WORDS):
        return self_[0]
    # an ordinal or a leading 不 picks an option only in an answer: "第一次创业有补贴不" and "不是丢了，
    # 是护照快过期了，换个新的咋整" are questions
    if question:
        return None
    for word, index in ORDINALS.items():
        if text.startswith(word) and not text.startswith(word + "次") and index < len(options):
            return options[index]
    negative = [o for o in options if re.match(r"^(不|无|没有|未)", o)]
    if len(negative) == 1 and re.match(r"^(不|没|无|否)", text):
        return negative[0]
    # otherwise the option sharing the most characters, if it clearly wins ("租房合同备案在哪办"
    # shares 租 and 房 with 公共租赁住房, but it is a question and was returned above)
    scores = sorted(((len(set(text) & set(o)), o) for o in options), reverse=True)
    if scores and scores[0][0] >= 2 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return scores[0][1]
    return None


async def asks_about_another_record(client: KnowledgeClient, text: str, matter_id: str | None) -> bool:
    """Whether a long question is answered by another record than the form's matter, one whose
    name it says words of: then it is a new topic, not an answer, whatever option words it holds."""
    if len(text) <= LONG_ANSWER_CHARS or not acts.is_question(text):
        return False
    resolution = await resolve(client, text, kind=None, log=False)
    top = resolution.hits[0] if resolution.hits else None
    if resolution.outcome != "answer" or top is None:
        return False
    return top["id"] != matter_id and says_words_of(text, top["name"])


async def names_a_new_topic(client: KnowledgeClient, text: str, resolution: Resolution, current: str) -> bool:
    """Whether a message the search is unsure about names, in its own words, records other than the
    matter in context: "开完了简易注销要带啥" after 清税证明开具 says 简易注销, so the choice of 简易
    and 普通注销 is offered. "这回我得问明白，到底要带啥" after 燃气报装 found records by no word of
    it, and "整改完再申请要重新交材料不" after 消防验收 says only 验收, a word of that matter: both
    ask about the matter in context."""
    if current in {h["id"] for h in resolution.hits}:
        return False
    current_name = str((await client.record("matter", current))["name"])
    said = two_character_runs(text) - two_character_runs(current_name)
    return any(words in h["name"] for h in resolution.hits for words in said)


def _reset_answers() -> list[EventType]:
    return [SlotSet(slot, None) for slot in SITUATION_SLOTS]


async def start_events(client: KnowledgeClient, dispatcher: CollectingDispatcher, matter_id: str) -> list[EventType]:
    matter = await client.record("matter", matter_id)
    situations = needed_situations(matter)
    if situations:
        dispatcher.utter_message(text=replies.notice_intro_text(matter, len(situations)))
    return [
        SlotSet("notice_matter_id", matter_id),
        SlotSet("notice_situations", situations),
        SlotSet("notice_cancelled", None),
        SlotSet("matter_id", matter_id),
        SlotSet("matter_name", matter["name"]),
        SlotSet("answered_element", "materials"),  # the notice answers what to bring
        *_reset_answers(),
    ]


class ActionStartNotice(Action):
    """Find the matter the user wants the notice for; the notice form runs next."""

    def name(self) -> str:
        return "action_start_notice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        current = tracker.get_slot("matter_id")
        client = KnowledgeClient()
        unset = [SlotSet("notice_matter_id", None), SlotSet("notice_situations", [])]
        try:
            resolution = await resolve_in_context(client, text, current)
            top = resolution.hits[0] if resolution.hits else None
            if resolution.outcome == "answer" and top is not None and top["kind"] != "matter":
                # "人才购房补贴要啥材料": a policy's (or a theme's) own materials, no notice
                return [*unset, *await answer_record(client, dispatcher, top["kind"], top["id"], "materials", tracker)]
            if resolution.outcome == "answer" and top is not None:
                return await start_events(client, dispatcher, top["id"])
            if resolution.outcome == "ask" and (
                not current or await names_a_new_topic(client, text, resolution, current)
            ):
                return [*unset, *ask_which(dispatcher, tracker, resolution.hits, "request_notice")]
            if current:  # "要带什么" after talking about a matter
                return await start_events(client, dispatcher, current)
            other = policy_or_theme_in_context(tracker)
            if other is not None and asks_about_the_record_in_context(text, resolution):
                # "那都要准备些啥材料" after 开饭店一件事: its matters' materials, no notice
                return [*unset, *await answer_record(client, dispatcher, *other, "materials", tracker)]
            # "每回都让我回去补材料" names materials and asks nothing: a grievance may be offered a ticket
            return [*unset, *nothing_found(dispatcher, tracker, text)]
        except NotFound:
            dispatcher.utter_message(text=replies.not_found_text(), outcome=replies.NO_ANSWER)
        except ServiceUnavailable:
            dispatcher.utter_message(text=replies.unavailable_text(), outcome=replies.NO_ANSWER)
        return unset


class ValidateNoticeForm(FormValidationAction):
    def name(self) -> str:
        return "validate_notice_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("notice_cancelled") or not tracker.get_slot("notice_matter_id"):
            return []
        return SITUATION_SLOTS[: len(tracker.get_slot("notice_situations") or [])]

    async def _validate(
        self, index: int, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        slot = SITUATION_SLOTS[index]
        text = str(value or "")
        situations = tracker.get_slot("notice_situations") or []
        if index >= len(situations):
            return {slot: None}
        if any(word in text for word in REST_UNKNOWN_WORDS):
            return {s: UNKNOWN for s in SITUATION_SLOTS[index : len(situations)]}
        situation = situations[index]
        option = understand_option(text, situation["options"])
        notice_matter = tracker.get_slot("notice_matter_id")
        client = KnowledgeClient()
        try:
            if option is not None and text != option and await asks_about_another_record(client, text, notice_matter):
                option = None
        except (NotFound, ServiceUnavailable):
            pass
        if option is not None:
            return {slot: option}
        # not an answer: maybe a question about something else, else a cancel
        try:
            intent = acts.ELEMENT_INTENTS[acts.element(text)]
            topic = acts.ellipsis_topic(text)
            if topic is not None:
                # "那注销呢" while 个体户设立登记's questions run: the same question of 个体户注销
                intent = previous_intent(tracker) or intent
                resolution = await resolve_ellipsis(client, topic, notice_matter)
            else:
                resolution = await resolve_in_context(client, text, notice_matter)
            element = replies.ELEMENTS.get(intent, "overview")
            top = resolution.hits[0] if resolution.hits else None
            leave = {slot: None, "notice_matter_id": None}  # ActionIssueNotice then finds no matter
            if resolution.outcome == "answer" and top is not None and top["id"] != notice_matter:
                if top["kind"] == "matter" and element in ("overview", "materials"):
                    # "算了，我想问补办驾驶证要带什么": that matter's notice instead
                    events = await start_events(client, dispatcher, top["id"])
                    return {e["name"]: e["value"] for e in events}
                # "那孩子的居民医保怎么参保", "个体户所得税减半是咋回事": answered, and the form ends
                events = await answer_record(client, dispatcher, top["kind"], top["id"], element, tracker)
                return {**leave, **{e["name"]: e["value"] for e in events}}
            # a correction ("不对，我护照是丢了") names the topic meant, as a question would
            a_question = element != "overview" or acts.asks(text) or acts.corrects(text)
            # the message names things, none of them the form's matter's ("我想开个小饭馆，都要办哪些
            # 手续", a bare "社保卡"): a new topic, never answered as the form's matter
            form_matter = await matter_reading(client, notice_matter) if resolution.objects else {}
            elsewhere = bool(resolution.objects) and form_matter.get("object") not in resolution.objects
            if resolution.outcome == "ask" and (a_question or elsewhere) and not acts.is_follow_up(text):
                # not an option ("养老金申领多久能批下来", "社保卡"): one of several records is meant
                events = ask_which(dispatcher, tracker, resolution.hits, intent)
                return {**leave, **{e["name"]: e["value"] for e in events}}
            if elsewhere and a_question and resolution.outcome == "none":
                dispatcher.utter_message(text=replies.not_found_text(), outcome=replies.NO_ANSWER)
                return leave
            if element not in ("overview", "materials") and notice_matter and not elsewhere:
                # "要多少钱", "办好了去哪个窗口拿证": that element of the matter whose questions run,
                # answered on the way; the question asked is asked again
                events = await answer_record(client, dispatcher, "matter", notice_matter, element, tracker)
                return {slot: None, **{e["name"]: e["value"] for e in events}}
        except (NotFound, ServiceUnavailable):
            pass
        if cancels(text):
            return {slot: None, "notice_cancelled": True}
        dispatcher.utter_message(text=replies.situation_retry_text([*situation["options"], UNKNOWN]))
        return {slot: None}

    async def validate_situation_1(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._validate(0, value, dispatcher, tracker)

    async def validate_situation_2(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._validate(1, value, dispatcher, tracker)

    async def validate_situation_3(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._validate(2, value, dispatcher, tracker)

    async def validate_situation_4(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._validate(3, value, dispatcher, tracker)

    async def validate_situation_5(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._validate(4, value, dispatcher, tracker)

    async def validate_situation_6(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._validate(5, value, dispatcher, tracker)


class AskSituation:
    """Asks the n-th needed situation question (action_ask_situation_<n>); a mixin with one action
    class per slot, as the SDK registers actions by class."""

    index = 0

    def name(self) -> str:
        return f"action_ask_{SITUATION_SLOTS[self.index]}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        situations = tracker.get_slot("notice_situations") or []
        if self.index >= len(situations):
            return []
        situation = situations[self.index]
        options = [*situation["options"], UNKNOWN]
        voice = is_voice(tracker)
        dispatcher.utter_message(
            text=replies.situation_text(situation, self.index + 1, len(situations), voice),
            buttons=[] if voice else [{"title": o, "payload": o} for o in options],
        )
        return []


class ActionAskSituation1(AskSituation, Action):
    index = 0


class ActionAskSituation2(AskSituation, Action):
    index = 1


class ActionAskSituation3(AskSituation, Action):
    index = 2


class ActionAskSituation4(AskSituation, Action):
    index = 3


class ActionAskSituation5(AskSituation, Action):
    index = 4


class ActionAskSituation6(AskSituation, Action):
    index = 5


class ActionIssueNotice(Action):
    def name(self) -> str:
        return "action_issue_notice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = [
            SlotSet("notice_matter_id", None),
            SlotSet("notice_situations", []),
            SlotSet("notice_cancelled", None),
            *_reset_answers(),
        ]
        matter_id = tracker.get_slot("notice_matter_id")
        if tracker.get_slot("notice_cancelled"):
            dispatcher.utter_message(text=replies.NOTICE_CANCELLED)
            return reset
        if not matter_id:
            return reset  # no matter was settled (a choice was offered instead)
        situations = tracker.get_slot("notice_situations") or []
        # at most MAX_SITUATIONS situations: the slots outnumber them
        slots = zip(situations, SITUATION_SLOTS, strict=False)
        answers = {s["key"]: tracker.get_slot(slot) or UNKNOWN for s, slot in slots}
        channel = channel_of(tracker)
        try:
            notice = await KnowledgeClient().create_notice(matter_id, answers, channel)
        except (ServiceUnavailable, NotFound):
            dispatcher.utter_message(text=replies.unavailable_text(), outcome=replies.NO_ANSWER)
            return reset
        dispatcher.utter_message(text=replies.notice_summary_text(notice, is_voice(tracker), channel))
        screen_id = (tracker.latest_message.get("metadata") or {}).get("screen_id")
        payload = {
            "notice": {
                "id": notice["id"],
                "number": notice["number"],
                "url": notice["url"],
                "pdf_url": notice["pdf_url"],
            }
        }
        if channel == "screen":
            payload["notice"]["materials"] = [
                {"name": m["name"], "status": m["status"], "condition": m["condition_text"]}
                for m in notice["materials"]
            ]
        dispatcher.utter_message(json_message=payload)
        if screen_id and channel in ("robot", "screen"):
            await show_on_screen(screen_id, payload)
        return [*reset, SlotSet("answered_element", "materials")]
