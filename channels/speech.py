"""Shape bot replies for text-to-speech: no URLs, brackets, markdown or lists; short
sentences; window numbers said the way people say them."""

from __future__ import annotations

import re

from actions import replies

_DIGITS = "零一二三四五六七八九"
_URL = re.compile(r"https?://\S+")
_MARKUP = re.compile(r"[*#`_>|\[\]【】]")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_WINDOW_RANGE = re.compile(r"(\d+)\s*[-~—至到]\s*(\d+)号窗口")
_WINDOW_LIST = re.compile(r"((?:\d+、)+\d+)号窗口")
_WINDOW_ONE = re.compile(r"(\d+)号窗口")
_LIST_LINE = re.compile(r"^\s*(?:\d+[.、]|[·•\-])\s*(.+?)(?:[：:].*)?$")
MAX_SENTENCES = 6


def spoken_number(number: int) -> str:
    """Chinese reading of 0-99 (window numbers): 21 → 二十一, 10 → 十."""
    if number < 10:
        return _DIGITS[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def _windows(text: str) -> str:
    text = _WINDOW_RANGE.sub(lambda m: f"{spoken_number(int(m[1]))}到{spoken_number(int(m[2]))}号窗口", text)
    text = _WINDOW_LIST.sub(lambda m: "、".join(spoken_number(int(n)) for n in m[1].split("、")) + "号窗口", text)
    return _WINDOW_ONE.sub(lambda m: f"{spoken_number(int(m[1]))}号窗口", text)


def _sentences(text: str) -> list[str]:
    """Split after 。！？； and at line ends, but never inside （…）: a note in brackets is read
    with its sentence."""
    parts, current, depth = [], "", 0
    for char in text:
        if char == "\n" and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
        depth += {"（": 1, "(": 1, "）": -1, ")": -1}.get(char, 0)
        depth = max(depth, 0)
        if depth == 0 and char in "。！？!?；":
            parts.append(current)
            current = ""
    return [*parts, current]


def speakable(texts: list[str]) -> list[str]:
    """Sentences ready for TTS from the bot's text messages."""
    sentences: list[str] = []
    for text in texts:
        items = [m.group(1) for line in text.splitlines() if (m := _LIST_LINE.match(line))]
        if len(items) >= 3:
            # a list is summarised; the full list goes to the screen
            sentences.append(replies.spoken_list_text(items))
            text = "\n".join(line for line in text.splitlines() if not _LIST_LINE.match(line))
        text = _URL.sub("", text)
        text = _EMOJI.sub("", _MARKUP.sub("", text))
        text = _windows(text)
        for part in _sentences(text):
            part = part.strip(" ：:，,")
            if len(part) > 1:
                sentences.append(part if part[-1] in "。！？!?；" else part + "。")
    return sentences[:MAX_SENTENCES]
