"""Understand short free answers in the policy-matching form (三十个人, 注册两年了, 没有房)."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def chinese_number(text: str) -> float | None:
    """The first number in `text`, in Arabic or Chinese numerals (三十五, 两百, 1.5, 半)."""
    match = re.search(r"\d+(?:\.\d+)?", text)
    if match:
        return float(match.group())
    run = re.search(r"[零〇一二两三四五六七八九十百千万]+", text)
    if run is None:
        return 0.5 if "半" in text else None
    total, section, digit = 0, 0, 0
    for char in run.group():
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            unit = _UNITS[char]
            if unit == 10000:
                total += (section + digit) * unit
                section = 0
            else:
                section += (digit or 1) * unit
            digit = 0
    value = float(total + section + digit)
    return value + 0.5 if "半" in text[run.end() : run.end() + 2] else value


NEGATIVE = ("没", "无", "不是", "否", "不", "还没")
POSITIVE = ("是", "有", "对", "嗯", "已经")


def yes_no(text: str) -> bool | None:
    if any(word in text for word in NEGATIVE):
        return False
    if any(word in text for word in POSITIVE):
        return True
    return None


ENTITY_TYPES = (
    ("个体工商户", ("个体", "小店", "门店", "摊")),
    ("社会组织", ("社会组织", "协会", "民办非企业", "基金会")),
    ("企业", ("企业", "公司", "厂", "单位")),
    ("个人", ("个人", "我自己", "毕业生", "本人", "学生", "失业", "居民", "我是")),
)
SIZES = (
    ("微型", ("微型", "微企", "很小")),
    ("小型", ("小型", "小企业", "小微")),
    ("中型", ("中型",)),
    ("大型", ("大型", "大企业")),
)


def entity_type(text: str) -> str | None:
    for value, words in ENTITY_TYPES:
        if value in text or any(w in text for w in words):
            return value
    return None


def size(text: str) -> str | None:
    for value, words in SIZES:
        if value in text or any(w in text for w in words):
            return value
    return None


CANCEL_WORDS = ("取消", "不查了", "不匹配了", "算了", "退出", "不用了", "停止")


def cancels(text: str) -> bool:
    return any(word in text for word in CANCEL_WORDS)
