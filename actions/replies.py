"""Turn catalog records (knowledge service JSON) into Chinese replies. Pure functions: every
fact in a reply comes from the record passed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HOTLINE = "12345"
# The outcome field of a reply that leaves the user without an answer (utter_message(outcome=...)):
# voice channels read it (channels/hotline.py transfers after two), never the reply's wording.
NO_ANSWER = "none"
DESK = "中庭咨询导服台"
# a turn that failed inside the assistant (a channel answers this rather than nothing)
BUSY = f"抱歉，系统繁忙，暂时无法回答。请稍后再试，或拨打{HOTLINE}热线、到{DESK}咨询。"

ELEMENTS = {
    "ask_matter": "overview",
    "ask_materials": "materials",
    "ask_location": "location",
    "ask_time_limit": "time_limit",
    "ask_fee": "fee",
    "ask_process": "process",
    "ask_conditions": "conditions",
    "ask_online": "online",
    "ask_visits": "visits",
    "request_notice": "materials",
}

HALL_NAMES = {"west-hall": "西侧大厅", "east-hall": "东侧大厅", "atrium": "中庭服务区"}
# how to reach each hall from the two doors (the north door faces south into the building)
HALL_WAYS = {
    "west-hall": "从南门进入向左、从北门进入向右，穿过中庭即到西侧大厅",
    "east-hall": "从南门进入向右、从北门进入向左，穿过中庭即到东侧大厅",
    "atrium": "南门、北门进入即是中庭",
}
VISITS = {"0": "零跑动（全程网上办理）", "1": "最多跑一次", "n": "需到现场多次"}


def title(record: dict[str, Any]) -> str:
    """The record's exact catalog name in 【】, so every answer names its source."""
    return f"【{record['name']}】"


def windows_text(windows: list[int]) -> str:
    if not windows:
        return ""
    ordered = sorted(windows)
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}号窗口"
    return "、".join(str(n) for n in ordered) + "号窗口"


def days_text(days: int) -> str:
    return "当场办结" if days == 0 else f"{days}个工作日"


def time_limit_text(matter: dict[str, Any]) -> str:
    limit = matter["time_limit"]
    legal = f"法定{limit['legal_days']}个工作日" if limit["legal_days"] else "法律未规定办理时限"
    text = f"{legal}，承诺{days_text(limit['promised_days'])}"
    return f"{text}（{limit['note']}）" if limit.get("note") else text


def fee_text(matter: dict[str, Any]) -> str:
    fee = matter["fee"]
    if not fee["charged"]:
        return "不收费"
    return f"{fee['amount']}，依据{fee['basis']}"


def location_text(matter: dict[str, Any]) -> str:
    hall = matter["location"]["hall"]
    return f"{HALL_NAMES.get(hall, hall)}{windows_text(matter['location']['windows'])}"


def online_text(matter: dict[str, Any]) -> str:
    online = matter["online"]
    if online["depth"] == "不支持":
        return "暂不支持网上办理，请到窗口办理"
    return f"支持{online['depth']}：{online['url']}"


def _condition_label(material: dict[str, Any]) -> str:
    when = material.get("applies_when") or {}
    if not when:
        return ""
    return "（" + "；".join("或".join(options) for options in when.values()) + "时需要）"


def materials_text(matter: dict[str, Any]) -> str:
    materials = matter["materials"]
    lines = []
    for index, material in enumerate(materials, start=1):
        if material["shared"]:
            form = "无需提交（数据共享获取）"
        else:
            form = f"{material['form']}{material['copies']}份" if material["copies"] else material["form"]
        necessity = "" if material["required"] == "必要" else f"[{material['required']}]"
        lines.append(f"{index}. {material['name']}{necessity}：{form}{_condition_label(material)}")
    always = sum(1 for m in materials if not m.get("applies_when"))
    head = f"共{len(materials)}项材料"
    if always != len(materials):
        head += f"，其中{always}项所有情形都需要，其余视办理情形而定"
    return head + "：\n" + "\n".join(lines)


def element_text(matter: dict[str, Any], element: str) -> str:
    """The answer to one question about a matter, naming the matter exactly."""
    name = title(matter)
    if element == "materials":
        return f"{name}{materials_text(matter)}\n标注“时需要”的材料视您的办理情形而定。"
    if element == "location":
        hall = matter["location"]["hall"]
        return (
            f"{name}在{location_text(matter)}办理。{HALL_WAYS.get(hall, '')}。"
            f"办公时间：{matter['hours']}。咨询电话：{matter['phone']}。"
        )
    if element == "time_limit":
        return f"{name}办理时限：{time_limit_text(matter)}。"
    if element == "fee":
        return f"{name}收费：{fee_text(matter)}。"
    if element == "process":
        steps = "；".join(f"{i}. {s}" for i, s in enumerate(matter["process"], start=1))
        # "咋补" wants to get it done: the steps, then where, then what else can be asked
        return (
            f"{name}办理流程：{steps}。\n办理地点：{location_text(matter)}。"
            "您可以接着问：要带什么、多久办好、多少钱。"
        )
    if element == "conditions":
        # "要本人去吗 / 能代办吗" are asked as conditions: who may apply, and how often one comes
        return f"{name}受理条件：" + "；".join(matter["conditions"]) + f"。\n{visits_text(matter)}。"
    if element == "online":
        return f"{name}{online_text(matter)}。"
    if element == "visits":
        return f"{name}{visits_text(matter)}。"
    return overview_text(matter)


def visits_text(matter: dict[str, Any]) -> str:
    """How many times one comes to the hall, and whether the licence can be posted."""
    extra = "，证照可免费邮寄" if matter.get("postal_delivery") else ""
    return f"到现场次数：{VISITS.get(matter['visits'], matter['visits'])}{extra}"


def overview_text(matter: dict[str, Any]) -> str:
    """A short overview: materials count, where, how long, fee, visits, online."""
    required = sum(1 for m in matter["materials"] if m["required"] == "必要" and not m["shared"])
    return (
        f"{title(matter)}（{matter.get('department_name', '')}）\n"
        f"材料：共{len(matter['materials'])}项，需提交的必要材料{required}项\n"
        f"地点：{location_text(matter)}\n"
        f"时限：{time_limit_text(matter)}\n"
        f"收费：{fee_text(matter)}\n"
        f"跑动：{VISITS.get(matter['visits'], matter['visits'])}\n"
        f"网办：{online_text(matter)}\n"
        "您可以接着问：要带什么、在哪办、多久办好、多少钱。"
    )


def place_text(place: dict[str, Any]) -> str:
    windows = windows_text(place.get("windows") or [])
    where = place.get("hall_name") or ""
    hall_way = HALL_WAYS.get(place.get("hall") or place["id"], "")
    parts = [f"{title(place)}位于{where}" + (f"{windows}" if windows and place["kind"] != "hall" else "")]
    if place.get("description"):
        parts.append(place["description"])
    if hall_way:
        parts.append(hall_way)
    return "。".join(parts) + "。"


def _policy_conditions(policy: dict[str, Any]) -> str:
    return "；".join(c["text"] for c in policy["conditions"])


def _policy_materials(policy: dict[str, Any]) -> str:
    return "、".join(policy["materials"]) if policy["materials"] else "无需申请材料"


def policy_text(policy: dict[str, Any]) -> str:
    conditions, materials = _policy_conditions(policy), _policy_materials(policy)
    return (
        f"{title(policy)}（{policy['type']}，{policy['mode']}）\n"
        f"对象：{policy['target']}\n"
        f"条件：{conditions}\n"
        f"内容：{policy['benefit']}\n"
        f"材料：{materials}\n"
        f"时限：{policy['time_limit']}\n"
        f"依据：{policy['issuer']}{policy['document']}\n"
        f"咨询：{policy['contact']}"
    )


# the elements a policy record answers on their own; any other question gets the whole policy
POLICY_ELEMENTS = {"location", "materials", "time_limit", "conditions", "process"}


def policy_element_text(policy: dict[str, Any], element: str) -> str:
    """A follow-up about a policy in context ("在哪办", "要什么材料"): the part asked, from the record."""
    name = title(policy)
    if element == "location":
        return f"{name}办理和咨询：{policy['contact']}。"
    if element == "materials":
        return f"{name}申请材料：{_policy_materials(policy)}。"
    if element == "time_limit":
        return f"{name}办理时限：{policy['time_limit']}"
    if element == "conditions":
        return f"{name}享受条件：{_policy_conditions(policy)}。"
    if element == "process":
        # "X补贴怎么申请 / 怎么享受": the way it is claimed, what to hand in, whom to ask
        return (
            f"{name}享受方式：{policy['mode']}。{policy['time_limit']}\n"
            f"申请材料：{_policy_materials(policy)}。\n办理和咨询：{policy['contact']}。"
        )
    return policy_text(policy)


def theme_text(theme: dict[str, Any]) -> str:
    return (
        f"{title(theme)}{theme['summary']}\n包含事项：" + "、".join(theme["matter_names"]) +
        f"\n地点：{location_text(theme)}，承诺{days_text(theme['promised_days'])}。"
    )


def _material_names(matter: dict[str, Any]) -> str:
    return "、".join(m["name"] for m in matter["materials"] if not m["shared"]) or "无需提交材料"


def _conditions_text(matter: dict[str, Any]) -> str:
    return "；".join(matter["conditions"])


def _visits_count(matter: dict[str, Any]) -> str:
    return VISITS.get(matter["visits"], matter["visits"])


# what a theme service's record itself answers, and what only its matters do (each named)
THEME_ELEMENTS = {"location", "time_limit", "online", "process"}
THEME_MATTER_ELEMENTS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "materials": ("材料", _material_names),
    "fee": ("收费", fee_text),
    "conditions": ("受理条件", _conditions_text),
    "visits": ("到现场次数", _visits_count),
}


def theme_element_text(theme: dict[str, Any], element: str, matters: list[dict[str, Any]]) -> str:
    """The answer to one question about a theme service ("一件事"): where, how long, online and
    how it runs are the theme record's; materials, fee, conditions and visits are each of its
    `matters`', named one by one. Anything else gets the overview."""
    name, names = title(theme), "、".join(theme["matter_names"])
    if element == "location":
        hall = theme["location"]["hall"]
        return f"{name}在{location_text(theme)}办理（包含事项：{names}）。{HALL_WAYS.get(hall, '')}。"
    if element == "time_limit":
        return f"{name}承诺{days_text(theme['promised_days'])}办结（包含事项：{names}）。"
    if element == "online":
        if theme.get("online_url"):
            return f"{name}支持网上一次申报：{theme['online_url']}。"
        return f"{name}暂不支持网上申报，请到{location_text(theme)}办理。"
    if element == "process":
        return f"{name}办理方式：{theme['summary']}\n包含事项：{names}\n办理地点：{location_text(theme)}。"
    if element in THEME_MATTER_ELEMENTS and matters:
        label, text_of = THEME_MATTER_ELEMENTS[element]
        lines = [f"{i}. {m['name']}：{text_of(m)}" for i, m in enumerate(matters, start=1)]
        return f"{name}所含事项的{label}：\n" + "\n".join(lines)
    return theme_text(theme)


def unavailable_text() -> str:
    return (
        f"抱歉，查询系统暂时无法响应。您可以到{DESK}咨询工作人员，或拨打{HOTLINE}热线，"
        "稍后也可以再问我一次。"
    )


def not_found_text() -> str:
    return (
        f"抱歉，我在办事目录里没有找到对应的事项，不敢乱答。您可以换个说法，"
        f"或到{DESK}咨询，也可以拨打{HOTLINE}热线或说“转人工”。"
    )


def not_understood_text() -> str:
    return f"抱歉，我没有听明白。您可以换个说法，或到{DESK}找工作人员，也可以拨打{HOTLINE}热线。"


# Short replies of the dialogue itself (not from a record), one place for their wording.
WORDING = {
    "affirm_nothing_pending": "好的。请问您要办什么事？说出事项名称，我帮您查。",
    "choice_nothing_pending": "现在没有待选的选项。请直接说您要办的事项或要问的内容，比如“护照在哪办”。",
    "choice_not_understood": "抱歉，我没听清您选的是哪一个。可以说“第一个”“第二个”，或直接说事项名称。",
    "place_not_found": f"抱歉，我没找到您说的地方。可以到{DESK}问工作人员，它就在南北门之间的中庭。",
    "lead_not_here": f"我在这里没法亲自带路：在大厅里可请南北门的迎宾机器人或{DESK}的工作人员带您过去。",
    "lead_unavailable": "带路服务暂时不可用，请按上面的路线前往，或请咨询导服台工作人员指引。",
    "lead_follow_me": "请跟我来。",
}


# --- choices (actions/resolve.py, actions/matters.py) -----------------------------------------


def choice_text(names: list[str], voice: bool) -> str:
    """"您是要办 A 还是 B?": spoken with ordinals to say back, or written above the buttons."""
    if voice:
        ordinals = ["第一个", "第二个"][: len(names)]
        return f"您是要问{'，还是'.join(names)}？请说{'或'.join(ordinals)}。"
    return "您问的是哪一项？请选择：" + "、".join(names)


def same_place_text(names: str, matter: dict[str, Any]) -> str:
    """Several candidate matters handled at one window: the where-question needs no choice."""
    return f"{names}都在{location_text(matter)}办理。{HALL_WAYS.get(matter['location']['hall'], '')}。"


# --- the one-time notice form (actions/notices.py) --------------------------------------------

NOTICE_CANCELLED = "好的，已取消告知单。还有什么可以帮您？"


def notice_intro_text(matter: dict[str, Any], questions: int) -> str:
    return (
        f"{title(matter)}需要的材料取决于您的情况，我问您{questions}个问题"
        "（不确定可以说“不清楚”，说“都不清楚”直接出告知单，说“取消”可退出）。"
    )


def situation_text(situation: dict[str, Any], position: int, total: int, voice: bool) -> str:
    """One situation question of the notice form: numbered above buttons, or with spoken options."""
    if voice:
        return f"{situation['question']}请说{'、'.join(situation['options'])}，或者说不清楚。"
    return f"{position}/{total} {situation['question']}"


def situation_retry_text(options: list[str]) -> str:
    return f"没听明白，请从这几项中选一个：{'、'.join(options)}。"


def notice_summary_text(notice: dict[str, Any], voice: bool, channel: str) -> str:
    """The notice in a few lines: counts and key materials, and where to see or print it."""
    materials = notice["materials"]
    to_submit = [m for m in materials if m["submit"] and not m["conditional"]]
    if voice:
        if channel == "robot":
            return f"共需{len(materials)}项材料，告知单已发送到屏幕。"
        # no SMS gateway is connected: give the caller the number to look the notice up by
        return f"共需{len(materials)}项材料，告知单编号是{notice['number']}，可凭编号在{DESK}打印。"
    key_items = "、".join(m["name"] for m in to_submit[:4])
    more = "等" if len(to_submit) > 4 else ""
    lines = [
        f"{notice['title']}已生成，编号{notice['number']}。",
        f"共{len(materials)}项材料，需提交{notice['materials_to_submit']}项，主要有：{key_items}{more}。",
    ]
    if notice.get("pending"):
        lines.append("您回答“不清楚”的情形，告知单里分情况列出了材料。")
    lines.append(f"完整告知单（可打印、可下载PDF）：{notice['url']}")
    return "\n".join(lines)


# --- policies and the policy-matching form (actions/policies.py) ------------------------------

# the form's question for each profile slot (the answer buttons are values: actions/policies.py)
PROFILE_QUESTIONS = {
    "pm_entity_type": "请问您是以什么身份申请？（说“取消”可退出）",
    "pm_size": "企业规模是？",
    "pm_employees": "现有职工多少人？",
    "pm_registration_years": "注册成立几年了？",
    "pm_graduates_hired": "今年招用了几名应届高校毕业生或登记失业青年？没有就说“没有”。",
    "pm_age": "请问您的年龄？",
    "pm_is_graduate": "您是毕业两年内的高校毕业生吗？",
    "pm_owns_local_house": "您在本市有自有住房吗？",
}
PROFILE_RETRY = {
    "pm_entity_type": "请说明是企业、个体工商户、社会组织，还是个人。",
    "pm_size": "请说明规模：微型、小型、中型或大型。",
    "yes_no": "请回答“是”或“不是”。",
}
POLICY_MATCH_CANCELLED = "好的，已取消政策匹配。还有什么可以帮您？"
POLICY_NOT_FOUND = (
    "抱歉，政策库里没有找到对应的政策。您可以说“帮我匹配政策”，我按您的情况逐项查；"
    f"也可以拨打{HOTLINE}热线咨询。"
)


def number_retry_text(example: str) -> str:
    return f"没听明白，请说一个数字，比如“{example}”。"


def policy_matches_text(eligible: list[dict[str, Any]], pending: list[dict[str, Any]]) -> str:
    """The policy-matching result: what the profile qualifies for, then what still needs checking."""
    if not eligible and not pending:
        return f"按您提供的情况，政策库中暂未匹配到可享受的政策。详情可拨打{HOTLINE}咨询。"
    lines = [f"按您提供的情况，匹配到{len(eligible)}项可享受的政策："]
    for match in eligible[:6]:
        lines.append(f"· 【{match['name']}】（{match['mode']}）{match['benefit']}")
    if pending:
        lines.append(f"另有{len(pending)}项政策还需确认条件，例如：")
        for match in pending[:3]:
            missing = "；".join(c["text"] for c in match["conditions_missing"])
            lines.append(f"· 【{match['name']}】（{match['mode']}）还需确认：{missing}")
    lines.append("免申即享的政策无需申请，符合条件自动兑现；其他政策可问我具体怎么申请。")
    return "\n".join(lines)


# --- complaints, people and feedback (actions/service.py) -------------------------------------

COMPLAINT_TYPE = "办不成事反映"
AGENTS = f"{HOTLINE}人工坐席"
FEEDBACK_THANKS = "感谢您的评价！还有其他要办的事，随时问我。"
FEEDBACK_SORRY = f"抱歉没能帮到您，您的意见已记录。可以说“转人工”，或到{DESK}找工作人员。"


def complaint_text(number: str, channel: str) -> str:
    if channel == "hotline":
        follow_up = "正在为您转接人工坐席，由专人跟进协调。"
    else:
        follow_up = (
            f"请到{DESK}的【办不成事反映窗口】，工作人员会专人跟进协调；"
            f"也可拨打{HOTLINE}热线，报编号查询进度。"
        )
    return f"非常抱歉给您添麻烦了。已为您登记“办不成事”反映，编号{number}。{follow_up}"


# a grievance in softer words than 投诉 (bot/components/acts.py files_at_once) is offered a ticket
COMPLAINT_OFFER_BUTTON = "登记反映"
COMPLAINT_DECLINE_BUTTON = "不用了"


def complaint_offer_text(voice: bool) -> str:
    if voice:
        answer = "要登记请说“是”，不用请说“不用”。"
    else:
        answer = f"要登记请点“{COMPLAINT_OFFER_BUTTON}”或回复“是”；不用的话，直接说您要办的事就行。"
    return f"很抱歉让您遇到不顺心的事。要为您登记一条“办不成事”反映，由工作人员专人跟进吗？{answer}"


def handoff_text(channel: str) -> str:
    return {
        "hotline": "正在为您转接人工坐席，请稍候。",
        "robot": f"请到{DESK}，工作人员会当面为您解答。",
    }.get(channel, f"已通知{DESK}的工作人员，会尽快在这里回复您；着急的话也可以拨打{HOTLINE}。")


# --- the channels' own sentences (channels/) --------------------------------------------------

ABILITIES = (
    "查询办事指南（要带哪些材料、去哪个窗口、多久办好、收不收费）、大厅导航、"
    "惠企政策查询和匹配，还能生成一次性告知单"
)
WECHAT_WELCOME = (
    f"您好，欢迎关注政务服务中心！我是导办小助手，可以帮您{ABILITIES}。"
    "请直接发文字或语音告诉我您要办什么事，比如：驾照快到期了怎么换。"
)
WECHAT_CANNOT = f"抱歉，我暂时只能看懂文字和语音消息。我可以帮您{ABILITIES}，请用文字或语音告诉我您要办什么事。"
WECHAT_NOT_HEARD = "抱歉，没听清您说的话，请再说一遍，或者直接发文字告诉我您要办什么事。"
NO_REPLY = f"抱歉，这个问题我暂时答不上来。您可以换个说法，或拨打{HOTLINE}热线、到{DESK}咨询。"
# what the WeChat menu buttons that need the user's words (a matter, a place) ask for
WECHAT_MENU_PROMPTS = {
    "GUIDE": (
        "请直接告诉我您要办什么事，我帮您查办事指南：要带哪些材料、去哪个窗口、多久办好。"
        "比如：驾照快到期了怎么换。"
    ),
    "NAVIGATE": "请告诉我您要找的地方，比如：社保窗口在哪、出入境窗口在哪、卫生间怎么走。",
}
WECHAT_PICK_BY_NUMBER = "请回复序号选择。"
HOTLINE_GREETING = "您好，这里是政务服务热线智能助手，请问您要办什么事？"
HOTLINE_TRANSFER = "这个问题我暂时答不好，正在为您转接人工坐席，请稍候。"
ROBOT_PROMPT = "请问您要办什么事？您可以直接说，比如：社保卡丢了怎么补。"
VOICE_REPEAT = "好的，请您再说一遍要办的事，说慢一点我听得更清楚。"
WEBCHAT_SESSION_EXPIRED = "会话已过期，请刷新页面后再问一次。"


def voice_confirmation_text(heard: str) -> str:
    """A doubtful recognition read back before the assistant acts on it."""
    return f"您是说“{heard}”吗？请说“是”或者“不是”。"


def too_long_text(max_chars: int) -> str:
    return f"您的问题有点长，请精简到{max_chars}字以内再发一次；也可以到{DESK}当面咨询，或拨打{HOTLINE}热线。"


def shortened_tail_text(link: str) -> str:
    """What ends a reply cut to fit a message: the full content's link, else how to get it."""
    if link:
        return f"…完整内容请查看：{link}"
    # the catalog has no public page per matter: offer the one-time notice and the hotline
    return f"…内容较长，回复“把材料清单发我”可获取完整的一次性告知单，或拨打{HOTLINE}咨询。"


# what a text-only channel writes for the assistant's custom payloads (channels/webchat.py)


def notice_links_text(number: str | None, links: list[str]) -> str:
    shown = f"（编号 {number}）" if number else ""
    return f"一次性告知单{shown}：" + "　".join(links)


NOTICE_VIEW, NOTICE_PDF = "查看并打印告知单", "下载PDF"


def route_text(summary: str) -> str:
    return f"路线：{summary}"


def handed_off_text(to: str | None) -> str:
    return f"已转人工：{to or '工作人员'}的工作人员会跟进您的问题。"


def work_order_text(kind: str | None, number: str) -> str:
    return f"已登记“{kind or '工单'}”，编号 {number}。"


def spoken_list_text(items: list[str]) -> str:
    """A long list read aloud: its size and first items; the full list is on the screen."""
    return f"共需{len(items)}项材料，主要是{'、'.join(items[:2])}等，完整清单已显示在屏幕上。"
