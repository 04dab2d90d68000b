"""Turn catalog records (knowledge service JSON) into Chinese replies. Pure functions: every
fact in a reply comes from the record passed in."""

from __future__ import annotations

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
        return f"{name}办理流程：{steps}。"
    if element == "conditions":
        return f"{name}受理条件：" + "；".join(matter["conditions"]) + "。"
    if element == "online":
        return f"{name}{online_text(matter)}。"
    if element == "visits":
        extra = "，证照可免费邮寄" if matter.get("postal_delivery") else ""
        return f"{name}到现场次数：{VISITS.get(matter['visits'], matter['visits'])}{extra}。"
    return overview_text(matter)


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
    return policy_text(policy)


def theme_text(theme: dict[str, Any]) -> str:
    return (
        f"{title(theme)}{theme['summary']}\n包含事项：" + "、".join(theme["matter_names"]) +
        f"\n地点：{HALL_NAMES.get(theme['location']['hall'], '')}{windows_text(theme['location']['windows'])}，"
        f"承诺{days_text(theme['promised_days'])}。"
    )


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
