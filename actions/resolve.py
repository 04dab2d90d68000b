"""The one home of the answer / ask / none decision: which catalog record a message means,
asking which one when the search is unsure or the margin is small, admitting not knowing."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker

from actions import replies, store
from actions.clients.knowledge import KnowledgeClient, NotFound
from bot.components import acts

VOICE_CHANNELS = {"robot", "hotline"}
logger = logging.getLogger(__name__)
# "护照" alone: the search answered 普通护照签发 at 0.76 but only 0.04 ahead of 换发. Below this
# relative lead over the runner-up, the user chooses (docs/nlu.md gives the measurement).
MIN_MARGIN = 0.08
# ...unless the search is this sure anyway ("什么条件可以申请创业担保贷款": 0.95 at a margin of 0.039)
SURE = 0.9
# a short message with an action whose first record leads by this much is answered (see decide)
CLEAR_LEAD = 0.5


@dataclass(frozen=True)
class Resolution:
    outcome: str  # "answer" | "ask" | "none"
    hits: list[dict[str, Any]]
    confidence: float
    margin: float = 1.0
    # what the search's lexicon read in the message, by kind ("objects", "actions", "purposes",
    # "benefits", "facilities"); no objects: it leaves the thing to the context
    reading: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def objects(self) -> tuple[str, ...]:
        return self.reading.get("objects", ())

    @property
    def actions(self) -> tuple[str, ...]:
        return self.reading.get("actions", ())

    def says_nothing_known(self) -> bool:
        """The lexicon read nothing in the message: no object, action, purpose or benefit."""
        return not any(self.reading.get(kind) for kind in ("objects", "actions", "purposes", "benefits"))

    def names_a_place(self) -> bool:
        """The lexicon read an office or a hall facility in the message (公证处, 卫生间)."""
        return bool(self.reading.get("agencies") or self.reading.get("facilities"))

    def reads_words_of(self, name: str) -> bool:
        """Whether a record's name holds a purpose or benefit the lexicon read in the message:
        "买房的话" reads 购房, the word of 住房公积金购房提取."""
        return any(word in name for kind in ("purposes", "benefits") for word in self.reading.get(kind, ()))


# a bare object of at most this many characters ("社保卡", "驾照") is under-specified
BARE_OBJECT_CHARS = 4


def under_specified(text: str, hits: list[dict[str, Any]]) -> bool:
    """A bare object name that is not itself a record's name: 驾照 has several matters, 出生登记 one."""
    bare = text.strip(" ，。？！?!")
    return (
        len(hits) > 1
        and len(bare) <= BARE_OBJECT_CHARS
        and acts.element(bare) == "general"
        and all(bare != h["name"] for h in hits)
    )


def decide(
    text: str,
    decision: str,
    hits: list[dict[str, Any]],
    confidence: float,
    margin: float,
    carried: bool = False,
    reading: dict[str, tuple[str, ...]] | None = None,
) -> Resolution:
    """The search's decision, turned into a question when its lead over the runner-up is small
    or the message only names an object with several matters (unless the query `carried` the
    action of the matter in context: "那护照呢" after a reissue is 护照补领)."""
    close_call = len(hits) > 1 and margin < MIN_MARGIN and confidence < SURE
    # a short message whose first record leads clearly is no bare object: "工伤认定" leads by 0.78,
    # "护照补办" by 0.66, "生育津贴" (one matter) by 0.83, "生于津贴" misheard by 0.66; "户口迁移"
    # between 迁入 and 迁出 by 0.37, "契税" between the matter and its relief by 0.44, "社保卡" by 0.12.
    # Unless it says no action and several of the records found are of what it names: "开发票" leads
    # by 0.64, but 发票领用 and 代开增值税发票 both are the 发票's
    # A place leads clearly only when the message names its facility or office ("厕所", "公证处"),
    # not by a name that sounds like it ("办公正" is any notarization, not the 公证窗口)
    read = reading or {}
    bare = not carried and under_specified(text, hits)
    # "那户口迁出呢" (a lead of 0.34 over 迁入): the action it says is in the first record's name alone
    # ("户口迁移" reads as 迁出 too, but does not say it)
    said = [a for a in read.get("actions", ()) if a in text]
    named_action = [h for h in hits if any(a in h["name"] for a in said)]
    if bare and len(named_action) == 1 and named_action[0] is hits[0]:
        bare = False
    if bare and margin >= CLEAR_LEAD:
        words = {text.strip(" ，。？！?!"), *read.get("objects", ())}
        several = sum(1 for h in hits if any(w and w in h["name"] for w in words)) >= 2
        unnamed_place = hits[0]["kind"] == "place" and not (read.get("facilities") or read.get("agencies"))
        bare = (several and not read.get("actions")) or unnamed_place
    if decision == "answer" and (close_call or bare):
        return Resolution("ask", hits, confidence, margin, read)
    return Resolution(decision, hits, confidence, margin, read)


async def resolve(
    client: KnowledgeClient, text: str, kind: str | None, carried: bool = False, log: bool = True
) -> Resolution:
    """The knowledge service decides on its calibrated confidence (docs/retrieval.md). `log`
    keeps the decision for the staff console (off for readings the user never typed)."""
    result = await client.search(text, kind=kind, k=3)
    resolution = decide(
        text,
        result["decision"], result["results"], float(result["confidence"]), float(result.get("margin", 1.0)),
        carried, {kind: tuple(words) for kind, words in (result.get("reading") or {}).items()},
    )
    if log:
        log_resolution(text, kind, resolution)
    return resolution


def log_resolution(text: str, kind: str | None, resolution: Resolution) -> None:
    """Keep the decision for the staff console's question queue and dashboard; never fails the turn."""
    top = resolution.hits[0]["id"] if resolution.hits else None
    try:
        store.log_question(text, kind, resolution.outcome, top, resolution.confidence)
    except sqlite3.Error as error:
        logger.warning("question log not written: %s", error)


def channel_of(tracker: Tracker) -> str:
    metadata = tracker.latest_message.get("metadata") or {}
    return str(metadata.get("channel") or tracker.get_latest_input_channel() or "rest")


def is_voice(tracker: Tracker) -> bool:
    return channel_of(tracker) in VOICE_CHANNELS


def choice_prompt(hits: list[dict[str, Any]], voice: bool) -> tuple[str, list[dict[str, str]]]:
    """The question "您是要办 A 还是 B?" as text with buttons, or as a short spoken choice."""
    options = hits[:3] if not voice else hits[:2]
    text = replies.choice_text([replies.title(h) for h in options], voice)
    if voice:
        return text, []
    buttons = [
        {"title": h["name"], "payload": f'/choose_option{{"choice": "{h["kind"]}:{h["id"]}"}}'} for h in options
    ]
    return text, buttons


def ask_which(
    dispatcher: CollectingDispatcher, tracker: Tracker, hits: list[dict[str, Any]], intent: str
) -> list[EventType]:
    """Offer the candidates and remember them, with what was asked, for the choice."""
    text, buttons = choice_prompt(hits, is_voice(tracker))
    dispatcher.utter_message(text=text, buttons=buttons)
    offered = hits[: 2 if is_voice(tracker) else 3]
    return [
        SlotSet("candidates", [f"{h['kind']}:{h['id']}:{h['name']}" for h in offered]),
        SlotSet("pending_intent", intent),
    ]


def offered_last_turn(tracker: Tracker) -> bool:
    """Whether the assistant's last turn offered the pending candidates (a choice, a ticket)."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return False
        elif users == 1 and event.get("event") == "slot" and event.get("name") == "candidates":
            return bool(event.get("value"))
    return False


# the kinds of record a choice offers (a ticket offer is answered yes or no, never by its words)
RECORD_KINDS = ("matter", "policy", "theme", "place")


def offered_in_words(text: str, candidates: list[str], resolution: Resolution) -> str | None:
    """The one record just offered whose name holds words of a message that names no object of its
    own: "有补贴没有" right after 灵活就业's choice picks 灵活就业人员社会保险补贴, not the search's
    first subsidy of any kind."""
    if resolution.objects:
        return None
    named = [
        c for c in candidates if c.split(":", 1)[0] in RECORD_KINDS and says_words_of(text, c.split(":", 2)[2])
    ]
    return named[0] if len(named) == 1 else None


ORDINALS = {"一": 0, "1": 0, "二": 1, "两": 1, "2": 1, "三": 2, "3": 2}


def pick_candidate(text: str, candidates: list[str]) -> str | None:
    """Which of the offered candidates ("kind:id:name") a free answer picks, if any."""
    if not candidates:
        return None
    for candidate in candidates:
        name = candidate.split(":", 2)[2]
        if name and name in text:
            return candidate
    if any(word in text for word in ("最后", "后面那个", "后一个")):
        return candidates[-1]
    if any(word in text for word in ("前面那个", "前一个", "头一个")):
        return candidates[0]
    for char in text:
        if char in ORDINALS and ORDINALS[char] < len(candidates):
            return candidates[ORDINALS[char]]
    return None


def previous_intent(tracker: Tracker) -> str | None:
    """The intent of the last question before the latest message, past elliptical ones: after
    驾照丢了怎么补, 那行驶证呢, "那护照呢" still asks the steps."""
    earlier = [e for e in tracker.events if e.get("event") == "user"][:-1]
    for event in reversed(earlier):
        if acts.ellipsis_topic(event.get("text") or "") is None:
            return ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return None


async def matter_reading(client: KnowledgeClient, matter_id: str | None) -> dict[str, Any]:
    """The lexicon's reading of a matter (its object and action), {} without one."""
    return (await _matter_record(client, matter_id)).get("expansions") or {}


async def _matter_record(client: KnowledgeClient, matter_id: str | None) -> dict[str, Any]:
    """A matter's record, {} for none."""
    if not matter_id:
        return {}
    try:
        return await client.record("matter", matter_id)
    except NotFound:
        return {}


# a topic this long is a phrase with its own action, not a bare object or action
LONG_TOPIC_CHARS = 6


def carried_queries(topic: str, expansions: dict[str, Any] | None) -> list[tuple[str, bool]]:
    """The searches an elliptical topic may mean, given the lexicon's reading of the matter in
    context, each with whether it reads the topic as a new action: a new object ("那行驶证呢"
    after 驾驶证补领: 行驶证补领), a new action ("那注销呢" after 个体工商户设立登记: 个体工商户注销),
    and the bare topic last."""
    action, object_ = (expansions or {}).get("action"), (expansions or {}).get("object")
    queries = []
    if action:
        queries.append((f"{topic}{action}", False))
    if object_ and object_ not in topic:
        queries.append((f"{object_}{topic}", True))
    # a topic of a phrase or more says its own action ("那房本旧了破了想换个新的呢"): itself first
    if len(topic) >= LONG_TOPIC_CHARS:
        return [(topic, False), *queries]
    return [*queries, (topic, False)]


async def resolve_ellipsis(client: KnowledgeClient, topic: str, current: str | None) -> Resolution:
    """What "那X呢" asks about. The new-action reading wins when it finds a record of the same
    object named with the new action ("个体工商户注销" → 个体工商户注销登记, where "注销登记" alone
    finds a company's); otherwise the first reading the search answers, else the first choice."""
    record = await _matter_record(client, current)
    expansions = record.get("expansions") or {}
    readings = [
        (query, await resolve(client, query, kind=None, carried=query != topic, log=False), new_action)
        for query, new_action in carried_queries(topic, expansions)
    ]
    # the lexicon's reading (object, action) of each new-action reading's record
    found = {
        query: await matter_reading(client, r.hits[0]["id"])
        for query, r, new_action in readings
        if new_action and r.outcome == "answer" and r.hits and r.hits[0]["kind"] == "matter"
    }
    chosen = _pick_reading(readings, expansions, topic, current, found, str(record.get("name") or ""))
    log_resolution(chosen[0], None, chosen[1])  # the console sees the one reading acted on
    return chosen[1]


async def resolve_policy_ellipsis(client: KnowledgeClient, topic: str) -> Resolution | None:
    """What "那X呢" asks right after a policy was answered, when the search is unsure of it alone:
    X's policies ("那增值税呢" after 小型微利企业所得税优惠 asks about 增值税's reliefs, not 代开增值税
    发票), when the first one found is named with the topic's words; None otherwise."""
    found = await resolve(client, topic, kind="policy", carried=True, log=False)
    top = found.hits[0] if found.hits else None
    if found.outcome == "none" or top is None or not says_words_of(topic, top["name"]):
        return None
    log_resolution(topic, "policy", found)
    return found


def _pick_reading(
    readings: list[tuple[str, Resolution, bool]],
    expansions: dict[str, Any],
    topic: str,
    current: str | None,
    found: dict[str, dict[str, Any]],
    current_name: str = "",
) -> tuple[str, Resolution]:
    """The reading acted on; `expansions` is the matter in context's reading (`current_name` its
    name), `found` that of each new-action reading's record."""
    object_, action = str(expansions.get("object") or ""), expansions.get("action")
    for query, resolution, new_action in readings:
        top = resolution.hits[0] if resolution.hits else None
        if new_action and resolution.outcome == "answer" and top is not None and top["id"] != current:
            record = found.get(query) or {}
            # the record keeps the object (as its name writes it, or as the lexicon reads it:
            # 户口迁出登记 is of 户籍) and is named with the topic's action, which must be new words
            # (驶证 of 行驶证 is also in 驾驶证), or everyday words for it ("旧本子换个新的" is 换领,
            # the action of 不动产权证书换发) while naming no other object ("那行驶证丢了补呢" after
            # 驾驶证换证 is the 行驶证's)
            # (存量房转移登记 after 存量房买卖合同网签备案: the name holds the object's first words; 抵押权
            # 注销登记 after 不动产抵押登记: it holds the action that the new action ends)
            same_object = _shares_object(object_, top["name"]) or record.get("object") == object_
            same_object = same_object or bool(action and len(action) >= 2 and action in top["name"])
            said = topic in top["name"] or (topic[-2:] in top["name"] and topic[-2:] not in object_)
            others = set(resolution.objects) - {object_}
            said = said or (record.get("action") in resolution.actions and not others)
            if same_object and said:
                return query, resolution
    # a topic saying another action of its own ("居住证签注呢" after 临时身份证申领) is not read
    # with the context's action; the same action ("那驾照丢了呢" after 身份证补领) still is
    bare = next((r for query, r, _ in readings if query == topic), None)
    own = set(bare.actions) if bare is not None else set()
    with_old_action = f"{topic}{action}" if action and own and action not in own else None
    for query, resolution, new_action in readings:
        # a new action that found another object's record is no reading ("机动车驾驶证行驶证"), nor
        # is a record that neither holds the topic's words nor is the topic's own first record
        # ("户籍证明换领" found 居民身份证换领 by its action; "驾照丢了补领" is 驾照丢了's record)
        top = resolution.hits[0] if resolution.hits else None
        own_record = bool(bare and bare.hits and top and bare.hits[0]["id"] == top["id"])
        if (
            resolution.outcome == "answer"
            and not new_action
            and query != with_old_action
            and top is not None
            and (query == topic or own_record or says_words_of(topic, top["name"]))
        ):
            return query, resolution
    # both readings with the context found the same other record of its object ("买房的呢" after
    # 住房公积金租房提取: "买房的提取" and "住房公积金买房的" both find 住房公积金购房提取), though
    # neither names it in the topic's words
    carried = [(q, r) for q, r, _ in readings if q != topic and r.outcome == "answer" and r.hits]
    tops = {r.hits[0]["id"] for _, r in carried}
    if len(carried) >= 2 and len(tops) == 1 and current not in tops and object_:
        if _shares_object(object_, carried[0][1].hits[0]["name"]):
            return carried[0]
    asked = [(query, resolution) for query, resolution, _ in readings if resolution.outcome == "ask"]
    for query, resolution in asked:
        # of the records offered, one alone holds the topic ("那电呢" after 用水报装: 用电报装, not
        # a choice of 用水, 供热 and 用电报装)
        named = [h for h in resolution.hits if topic in h["name"] and h["id"] != current]
        if len(named) == 1:
            return query, Resolution("answer", named, resolution.confidence, resolution.margin, resolution.reading)
    sibling = _sibling(readings, topic, current, current_name)
    if sibling is not None and asked:
        query, resolution = asked[0]
        return query, Resolution("answer", [sibling], resolution.confidence, resolution.margin, resolution.reading)
    return asked[0] if asked else (readings[-1][0], readings[-1][1])


# how many more characters the sibling's name must share with the matter in context than any other
# record's, and how many at least: 特殊建设工程消防验收 shares 8 with 特殊建设工程消防设计审查, 工程建设
# 项目联合验收 2
SIBLING_MIN_SHARED, SIBLING_LEAD = 4, 2


def _sibling(
    readings: list[tuple[str, Resolution, bool]], topic: str, current: str | None, current_name: str
) -> dict[str, Any] | None:
    """Of the records the readings offer that hold the topic, the one named most like the matter
    in context, when it clearly is: "验收呢" after 特殊建设工程消防设计审查 is 特殊建设工程消防验收,
    not 工程建设项目联合验收 or 竣工验收备案."""
    if not current_name:
        return None
    offered = {h["id"]: h for _, r, _ in readings for h in r.hits if h["id"] != current and topic in h["name"]}
    shared = sorted(((_longest_shared_run(h["name"], current_name), h) for h in offered.values()), key=lambda s: -s[0])
    if not shared:
        return None
    best, record = shared[0]
    runner_up = shared[1][0] if len(shared) > 1 else 0
    return record if best >= SIBLING_MIN_SHARED and best - runner_up >= SIBLING_LEAD else None


def _longest_shared_run(a: str, b: str) -> int:
    """The length of the longest run of characters that both names hold."""
    return max((n for i in range(len(a)) for n in range(1, len(a) - i + 1) if a[i : i + n] in b), default=0)


async def resolve_in_context(client: KnowledgeClient, text: str, current: str | None) -> Resolution:
    """`resolve`, read with the matter in context: a matter the search found by an incidental
    word of a message that names nothing is that matter ("照片要自己带吗"); and when the question
    is unsure between several records, the same question about the object of the matter in
    context: "公证要带啥" after 无犯罪记录证明开具 asks about 无犯罪记录公证, "在哪签" after 居住证
    about 居住证签注. The contextual reading counts only when the search answers it with a record
    of that object."""
    resolution = await resolve(client, text, kind=None)
    top = resolution.hits[0] if resolution.hits else None
    named_action = bool(resolution.actions) and not resolution.objects
    # a place found by the action alone ("开完了还要公证，公证去哪做": the 公证窗口) is no answer yet;
    # one found by its office or facility ("公证处的窗口在哪个厅") is asked for itself
    by_action = top is not None and (
        top["kind"] == "matter" or (top["kind"] == "place" and not resolution.names_a_place())
    )
    if resolution.outcome == "answer" and current and by_action and named_action and top is not None:
        # an action said of no object ("我本子是有的，净办个签注要多少钱" after 往来台湾通行证签发) is
        # the matter in context's object's, when that object has a record doing it
        object_ = str((await matter_reading(client, current)).get("object") or "")
        if object_ and not _shares_object(object_, top["name"]):
            in_context = await resolve(client, f"{object_}{text}", kind=None, carried=True, log=False)
            found = in_context.hits[0] if in_context.hits else None
            # of that object, and named with the message's own words (签注 of 往来台湾通行证签注) or
            # doing the action the lexicon read in them ("旧得字都看不清了，换个新的咋弄" after 不动产权
            # 证书补发: 换领, the action of 不动产权证书换发); an unsure reading still offers that
            # object's records, never the other object's answer
            kept = found is not None and _shares_object(object_, found["name"])
            if kept and found is not None and not says_words_of(text, found["name"]):
                kept = (await matter_reading(client, found["id"])).get("action") in resolution.actions
            if in_context.outcome in ("answer", "ask") and kept:
                log_resolution(f"{object_}{text}", None, in_context)
                return in_context
    if resolution.outcome == "answer" and current and top is not None and top["kind"] == "matter":
        incidental = resolution.says_nothing_known() and not says_words_of(text, top["name"])
        if top["id"] != current and incidental and acts.element(text) != "general":
            # found by an incidental word ("照片要自己带吗" → 居民身份证首次申领 by 照片), the message
            # asks an element and says nothing the lexicon knows: it asks about the matter in
            # context. A message asking no element may name a thing in its own words ("买的是二手的")
            return await _the_matter_in_context(client, current, resolution)
    if current and asks_about_the_record_in_context(text, resolution):
        return await _the_matter_in_context(client, current, resolution)
    if resolution.outcome not in ("ask", "none") or not current:
        return resolution
    nothing = resolution.outcome == "none"
    if nothing and acts.tells_a_grievance(text):
        return resolution  # a grievance the catalog has nothing for is offered a ticket, not a record
    reading = await matter_reading(client, current)
    object_, action = str(reading.get("object") or ""), reading.get("action")
    # a message naming other things than the matter in context is a new topic ("社保的参保证明在
    # 哪开" after 公积金缴存证明: the choice stands, the context does not decide it); one that
    # found nothing alone may still name a thing of that object (个人所得税 of 个体工商户)
    elsewhere = bool(resolution.objects) and object_ not in resolution.objects and not nothing
    if not object_ or object_ in text or elsewhere:
        return resolution
    in_context = await resolve(client, f"{object_}{text}", kind=None, carried=True, log=False)
    top = in_context.hits[0] if in_context.hits else None
    if top is not None and top["id"] == current:
        # the matter in context again, though the message says an action it does not do ("网签完了
        # 过户在哪办" after 存量房买卖合同网签备案): that object's record doing it, 存量房转移登记
        new_actions = [a for a in resolution.actions if a != action]
        doing = await _the_objects_record_doing(client, object_, new_actions, current)
        if doing is not None:
            return doing
    # the record must be of that object and named with the user's own words ("护照" after 驾照
    # is a new topic: 机动车驾驶证护照 must not find a licence), unless the message names no object
    # at all and finds another matter of that object ("找到了，但是证过期了，换一本新的要啥" after
    # 往来港澳通行证补发: its renewal; "公正处在哪" after 继承不动产转移登记 finds that matter again,
    # so it was no question about it)
    # (found nothing alone, "注册完了所得税那块有啥优惠不" after 个体工商户设立登记 must say the
    # record's words: 个体工商户年应纳税所得额减半; or words the lexicon reads as the record's:
    # "买房的话要带啥" after 住房公积金租房提取 reads 购房, of 住房公积金购房提取)
    names_said = top is not None and (
        (not resolution.objects and top["id"] != current and not nothing)
        or says_words_of(text, top["name"])
        or resolution.reads_words_of(top["name"])
    )
    if top is not None and not names_said and top["kind"] == "matter" and top["id"] != current:
        # or doing the action the lexicon read in it: "那接下来过户去哪办" after 存量房买卖合同网签备案
        # found nothing alone; 存量房转移登记 does 过户
        names_said = (await matter_reading(client, top["id"])).get("action") in resolution.actions
    # the matter in context again, though the search without it did not even offer it ("电呢 新报装
    # 电" after 供热报装: 用电报装 and 用电增容 were), is no reading of the message
    offered = {h["id"] for h in resolution.hits}
    names_said = names_said and not (top is not None and top["id"] == current and current not in offered)
    if in_context.outcome == "answer" and top is not None and _shares_object(object_, top["name"]) and names_said:
        log_resolution(f"{object_}{text}", None, in_context)
        return in_context
    return resolution


async def _the_objects_record_doing(
    client: KnowledgeClient, object_: str, actions: list[str], current: str
) -> Resolution | None:
    """The record of the object that does one of the actions, as the lexicon reads that record
    (存量房转移登记 does 过户), found by the object and the action alone; None for none."""
    for action in actions:
        query = f"{object_}{action}"
        found = await resolve(client, query, kind=None, carried=True, log=False)
        top = found.hits[0] if found.hits else None
        if found.outcome not in ("answer", "ask") or top is None or top["kind"] != "matter" or top["id"] == current:
            continue
        if _shares_object(object_, top["name"]) and (await matter_reading(client, top["id"])).get("action") == action:
            log_resolution(query, None, found)
            return Resolution("answer", [top], found.confidence, found.margin, found.reading)
    return None


async def _the_matter_in_context(client: KnowledgeClient, current: str, resolution: Resolution) -> Resolution:
    """The matter in context as the answer to a message that asks about it."""
    name = (await client.record("matter", current))["name"]
    hit = {"kind": "matter", "id": current, "name": name}
    return Resolution("answer", [hit], resolution.confidence, resolution.margin, resolution.reading)


def policy_or_theme_in_context(tracker: Tracker) -> tuple[str, str] | None:
    """The policy or theme service answered last ("policy", id), when no matter is in context."""
    if tracker.get_slot("matter_id"):
        return None
    policy, theme = tracker.get_slot("policy_id"), tracker.get_slot("theme_id")
    return ("policy", policy) if policy else ("theme", theme) if theme else None


def asks_about_the_record_in_context(text: str, resolution: Resolution) -> bool:
    """Whether a message the search is unsure of asks an element of the record in context: it
    names nothing the lexicon knows and no record found has its words ("多少钱一份" after 学历学位
    公证, "能在手机上自己弄不" after 个人参保证明打印, "说了半天也没说在哪办啊"). "我还想改个名，咋弄"
    names its own topic: the lexicon reads 改个名 as 变更."""
    return (
        resolution.outcome in ("ask", "none")
        and acts.element(text) != "general"
        and resolution.says_nothing_known()
        and not any(says_words_of(text, h["name"]) for h in resolution.hits)
    )


def says_words_of(text: str, name: str) -> bool:
    """Whether the message holds two characters of a record's name together (签注 of 居住证签注)."""
    return any(run in name for run in two_character_runs(text))


def two_character_runs(text: str) -> set[str]:
    """The two-character runs of a text, the unit in which a message says a record's words."""
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _shares_object(object_: str, name: str) -> bool:
    """Whether a record's name holds the object, or its first three characters or more
    (无犯罪记录证明 in 无犯罪记录公证)."""
    return object_ in name or any(object_[:n] in name for n in range(len(object_), 2, -1))
