"""Wording has one home: every sentence the assistant says is written in actions/replies.py.

Read from the source (ast), so it runs in either environment. A Chinese string literal may still
appear elsewhere as vocabulary the code *understands* (word lists, patterns, ordinals) or in a
docstring; what is checked is what the code *says*: text handed to a dispatcher, speech lists,
and module-level sentence constants.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "actions" / "replies.py"
SOURCES = sorted([*(ROOT / "actions").glob("*.py"), *(ROOT / "channels").glob("*.py")])
# a sentence, not a word: Chinese with sentence punctuation
SENTENCE = re.compile(r"[\u4e00-\u9fff].*[，。？！：]|[，。？！：].*[\u4e00-\u9fff]")


def _literal_text(node: ast.AST) -> str:
    """The literal characters of a string constant or f-string ("" for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_text(v) for v in node.values)
    return ""


def _said_sentences(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        spoken: list[ast.AST] = []
        if isinstance(node, ast.Call):
            spoken += [k.value for k in node.keywords if k.arg in ("text", "speech")]
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("utter_message", "send_text_message", "Turn"):
                spoken += node.args
        if isinstance(node, ast.Dict):  # {"speech": ["…"]}
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in ("speech", "text") and value is not None:
                    spoken.append(value)
        for value in spoken:
            parts = value.elts if isinstance(value, ast.List) else [value]
            found += [(part.lineno, _literal_text(part)) for part in parts if SENTENCE.search(_literal_text(part))]
    return found


def test_no_sentence_is_said_outside_replies() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in SOURCES
        if path != HOME
        for line, text in _said_sentences(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_check_sees_a_sentence_said_in_place() -> None:
    """The check itself: an inline sentence in a dispatcher call is found, a variable is not."""
    source = 'dispatcher.utter_message(text=f"好的，已取消{x}。")\ndispatcher.utter_message(text=replies.DONE)\n'
    assert [line for line, _ in _said_sentences(ast.parse(source))] == [1]


def test_module_sentences_live_in_replies() -> None:
    """No module-level sentence constant outside replies.py (the kind that drifts: WELCOME = "您好，…")."""
    offenders = []
    for path in SOURCES:
        if path == HOME:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and SENTENCE.search(_literal_text(node.value)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
