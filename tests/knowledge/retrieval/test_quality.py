"""The quality gate on the development set (tests/data/README.md). The floors sit a little
below what docs/retrieval.md reports; the frozen test set is no gate (it is reported by
`make eval`, never tuned on). Both protocols have floors: the full sample catalog, and the
alias-free one (every alias and FAQ stripped, as a provincial export arrives)."""

from __future__ import annotations

import pytest

from catalog.loader import load_catalog
from knowledge.retrieval.evaluate import (
    QUESTION_SETS,
    Report,
    evaluate,
    load_questions,
    protocol_searcher,
    save_questions,
)


def _dev_report(protocol: str) -> dict[str, Report]:
    # question vectors kept in var/eval: both protocols ask the same questions, embedded once
    searcher = protocol_searcher(protocol, remember=True)
    report = {"dev": evaluate(searcher, load_questions(QUESTION_SETS["dev"]))}
    save_questions(searcher)
    return report


@pytest.fixture(scope="module")
def full() -> dict[str, Report]:
    return _dev_report("full")


@pytest.fixture(scope="module")
def alias_free() -> dict[str, Report]:
    return _dev_report("alias-free")


def test_the_question_sets_are_large_and_cover_every_style() -> None:
    catalog = load_catalog()
    keys = {f"matter:{i}" for i in catalog.matters} | {f"policy:{i}" for i in catalog.policies}
    keys |= {f"theme:{i}" for i in catalog.themes} | {f"place:{i}" for i in catalog.places}
    floors = (("dev", 250), ("fresh", 150), ("dev3", 150), ("frozen1", 150), ("frozen2", 150), ("frozen", 150))
    for name, floor in floors:
        questions = load_questions(QUESTION_SETS[name])
        assert len(questions) >= floor, name
        assert {"colloquial", "asr", "hotline", "policy", "none"} <= {q.style for q in questions}, name
        named = [k for q in questions for k in (q.expected, *q.also, *q.choice) if k]
        assert [k for k in named if k not in keys] == [], name


def test_full_catalog_top1_and_top3_overall(full: dict[str, Report]) -> None:
    assert full["dev"].overall_top1 >= 0.94, full["dev"].per_style
    assert full["dev"].overall_top3 >= 0.99, full["dev"].per_style


def test_full_catalog_every_style_is_answered_well(full: dict[str, Report]) -> None:
    for style, score in full["dev"].per_style.items():
        assert score.top1 >= 0.90 and score.top3 >= 0.98, (style, score)


def test_unanswerable_questions_come_back_unsure(full: dict[str, Report]) -> None:
    # answered (decision "answer"): 0.044 on dev (0.000 on fresh dev) measured 2026-12-06, fourth
    # pass (0.067 / 0.133 before it); the target is 0.05
    assert full["dev"].false_confident <= 0.07


# measured 2026-12-06, fourth pass (docs/retrieval.md): top-1 0.905, top-3 0.987 (lowest:
# hotline 0.849 / 0.981), confident and wrong 0.032 of 217 answers, unanswerable
# answered 0.022
def test_alias_free_top1_and_top3_overall(alias_free: dict[str, Report]) -> None:
    assert alias_free["dev"].overall_top1 >= 0.87, alias_free["dev"].per_style
    assert alias_free["dev"].overall_top3 >= 0.97, alias_free["dev"].per_style


def test_alias_free_every_style_is_answered(alias_free: dict[str, Report]) -> None:
    for style, score in alias_free["dev"].per_style.items():
        assert score.top1 >= 0.80 and score.top3 >= 0.95, (style, score)


def test_alias_free_answers_are_rarely_wrong(alias_free: dict[str, Report]) -> None:
    # a wrong first record answered with confidence is the worst outcome (issue #13)
    assert alias_free["dev"].answers >= 190
    assert alias_free["dev"].confident_wrong <= 0.05
    assert alias_free["dev"].false_confident <= 0.05
