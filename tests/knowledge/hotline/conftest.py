"""Shared fixtures of the hotline tests: the sample files, and one analyser (and one analysis
of the sample) for the whole session, since loading the search engine is the slow part."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from knowledge.hotline.analysis import CallAnalyser, CallAnalysis, make_analyser
from knowledge.hotline.calls import read_calls
from knowledge.settings import get_settings

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLE = DATA / "hotline_calls.jsonl"
BAD_SAMPLE = DATA / "hotline_calls_bad.jsonl"

# ID card, phone and bank card numbers as they are written in the files: digits, maybe grouped
_NUMBER = re.compile(r"\+?\d[\d -]{9,}[\dXx]")


def raw_numbers(path: Path) -> set[str]:
    """Every personal number in a calls file (in what callers said, their caller_number, or
    anywhere on a line that is not JSON), as written and as bare digits."""
    found: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            row = None
        if isinstance(row, dict):
            texts = [json.dumps(row.get("turns"), ensure_ascii=False), str(row.get("caller_number"))]
        else:
            texts = [line]
        for number in (n for text in texts for n in _NUMBER.findall(text)):
            found |= {number, re.sub(r"\D", "", number)}
    return found


@pytest.fixture(scope="session")
def analyser() -> CallAnalyser:
    return make_analyser(get_settings())


@pytest.fixture(scope="session")
def sample(analyser: CallAnalyser) -> dict[str, CallAnalysis]:
    calls, bad = read_calls(SAMPLE)
    assert bad == []
    return {a.call_id: a for a in analyser.analyse_many(calls)}
