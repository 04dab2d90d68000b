"""The quality gate on the development question set (tests/data/retrieval_dev.jsonl)."""

from __future__ import annotations

import pytest

from knowledge.catalog.loader import load_catalog
from knowledge.retrieval.evaluate import Report, evaluate, load_questions
from knowledge.retrieval.service import make_searcher
from knowledge.settings import get_settings


@pytest.fixture(scope="module")
def report() -> Report:
    searcher = make_searcher(load_catalog(), get_settings())
    return evaluate(searcher, load_questions())


def test_the_question_set_is_large_and_covers_every_style() -> None:
    questions = load_questions()
    styles = {q.style for q in questions}
    assert len(questions) >= 250
    assert {"colloquial", "asr", "hotline", "policy", "none"} <= styles
    catalog = load_catalog()
    keys = {f"matter:{i}" for i in catalog.matters} | {f"policy:{i}" for i in catalog.policies}
    keys |= {f"theme:{i}" for i in catalog.themes} | {f"place:{i}" for i in catalog.places}
    assert [q.q for q in questions if q.expected and q.expected not in keys] == []


def test_top1_and_top3_overall(report: Report) -> None:
    assert report.overall_top1 >= 0.92, report.per_style
    assert report.overall_top3 >= 0.98, report.per_style


def test_every_style_is_answered_well(report: Report) -> None:
    for style, (n, top1, top3) in report.per_style.items():
        assert top1 >= 0.85 and top3 >= 0.95, (style, n, top1, top3)


def test_unanswerable_questions_come_back_unsure(report: Report) -> None:
    assert report.false_confident <= 0.2
