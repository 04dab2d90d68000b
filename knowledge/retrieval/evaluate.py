"""Retrieval quality on the development question set: top-1/top-3 per style, the
false-confident rate on unanswerable questions, ablations, and calibration.

    python -m knowledge.retrieval.evaluate [--parts dense,bm25,pinyin,entity] [--ablation]
    python -m knowledge.retrieval.evaluate --calibrate   # refit calibration.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from knowledge.catalog.loader import load_catalog
from knowledge.retrieval.engine import (
    CALIBRATION_FILE,
    CONFIDENT,
    PARTS,
    Calibrator,
    FusionConfig,
    HybridSearcher,
    SearchResult,
    fuse,
)
from knowledge.retrieval.service import make_searcher
from knowledge.settings import REPO_ROOT, get_settings

DEV_SET = REPO_ROOT / "tests" / "data" / "retrieval_dev.jsonl"


@dataclass(frozen=True)
class Question:
    q: str
    style: str
    expected: str | None  # "<kind>:<id>", or None when the catalog has no answer
    # equally right answers: a policy and the matter through which it is claimed
    also: tuple[str, ...] = ()

    def accepts(self, key: str | None) -> bool:
        return key is not None and (key == self.expected or key in self.also)


@dataclass
class Report:
    per_style: dict[str, tuple[int, float, float]]  # style -> (n, top1, top3)
    overall_top1: float
    overall_top3: float
    false_confident: float  # share of unanswerable questions answered with confidence >= CONFIDENT
    unsure_correct: float  # share of correct top-1 answers given below CONFIDENT (asked instead)
    results: list[tuple[Question, SearchResult]]


def load_questions(path: Path = DEV_SET) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                raw = json.loads(line)
                questions.append(Question(raw["q"], raw["style"], raw["expected"], tuple(raw.get("also", ()))))
            except (ValueError, KeyError) as error:
                raise ValueError(f"{path}:{number}: {error}") from None
    return questions


def evaluate(searcher: HybridSearcher, questions: list[Question], parts: tuple[str, ...] = PARTS) -> Report:
    results = [(q, searcher.search(q.q, k=3, parts=parts)) for q in questions]
    styles: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    answerable: list[tuple[bool, bool]] = []
    confident_none = 0
    nones = 0
    unsure = 0
    correct_total = 0
    for question, result in results:
        keys = [h.doc.key for h in result.hits]
        if question.expected is None:
            nones += 1
            confident_none += result.confidence >= CONFIDENT
            continue
        top1 = bool(keys) and question.accepts(keys[0])
        top3 = any(question.accepts(k) for k in keys[:3])
        styles[question.style].append((top1, top3))
        answerable.append((top1, top3))
        if top1:
            correct_total += 1
            unsure += result.confidence < CONFIDENT
    per_style = {
        style: (len(v), sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v)) for style, v in styles.items()
    }
    n = max(len(answerable), 1)
    return Report(
        per_style=per_style,
        overall_top1=sum(a for a, _ in answerable) / n,
        overall_top3=sum(b for _, b in answerable) / n,
        false_confident=confident_none / max(nones, 1),
        unsure_correct=unsure / max(correct_total, 1),
        results=results,
    )


def print_report(report: Report, title: str) -> None:
    print(f"== {title}")
    for style, (n, top1, top3) in sorted(report.per_style.items()):
        print(f"  {style:<11} n={n:<4} top1={top1:.3f} top3={top3:.3f}")
    print(f"  {'overall':<11} top1={report.overall_top1:.3f} top3={report.overall_top3:.3f}")
    print(f"  false-confident on unanswerable: {report.false_confident:.3f} (confidence >= {CONFIDENT})")
    print(f"  correct but asked (confidence < {CONFIDENT}): {report.unsure_correct:.3f}")


def fit_calibration(searcher: HybridSearcher, questions: list[Question], folds: int = 5) -> dict[str, float]:
    """Logistic regression of "top-1 is right" on the ranking features; prints the
    cross-validated expected calibration error before returning the full fit."""
    rows, labels = [], []
    for question in questions:
        result = searcher.search(question.q, k=1)
        right = bool(result.hits) and question.accepts(result.hits[0].doc.key)
        rows.append([result.features[name] for name in Calibrator.FEATURES])
        labels.append(1.0 if right else 0.0)
    x = np.asarray(rows)
    y = np.asarray(labels)

    def fit(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        w = np.zeros(xs.shape[1] + 1)
        design = np.hstack([np.ones((len(xs), 1)), xs])
        for _ in range(4000):  # plain gradient descent with a little L2; features are all 0..1
            p = 1 / (1 + np.exp(-design @ w))
            w -= 0.5 * (design.T @ (p - ys) / len(ys) + 0.001 * np.r_[0, w[1:]])
        return w

    order = np.random.default_rng(0).permutation(len(y))
    predicted = np.zeros(len(y))
    for fold in range(folds):
        test = order[fold::folds]
        train = np.setdiff1d(order, test)
        w = fit(x[train], y[train])
        predicted[test] = 1 / (1 + np.exp(-(w[0] + x[test] @ w[1:])))
    bins = np.clip((predicted * 10).astype(int), 0, 9)
    ece = sum(
        abs(predicted[bins == b].mean() - y[bins == b].mean()) * (bins == b).sum()
        for b in range(10)
        if (bins == b).any()
    ) / len(y)
    print(f"calibration: {folds}-fold expected calibration error {ece:.3f} over {len(y)} questions")
    w = fit(x, y)
    return {"bias": float(w[0]), **{name: float(v) for name, v in zip(Calibrator.FEATURES, w[1:], strict=True)}}


def _accuracy(
    searcher: HybridSearcher, cached: list[tuple[Question, dict[str, dict[int, float]]]], config: FusionConfig
) -> float:
    """top-1 plus half of top-3, over the answerable questions, when fused with `config`."""
    score = 0.0
    answerable = [(q, raw) for q, raw in cached if q.expected is not None]
    for question, raw in answerable:
        fused, _ = fuse(raw, config, searcher.kinds)
        top = [searcher.docs[r].key for r in sorted(fused, key=lambda r: (-fused[r], r))[:3]]
        score += question.accepts(top[0] if top else None) + 0.5 * any(question.accepts(k) for k in top)
    return score / max(len(answerable), 1)


def _tune(
    searcher: HybridSearcher, cached: list[tuple[Question, dict[str, dict[int, float]]]], method: str
) -> FusionConfig:
    """Coordinate ascent over the fusion weights (a full grid is too slow to be worth it)."""
    config = FusionConfig(method=method)
    choices: dict[str, tuple[float, ...]] = {
        "dense": (0.5, 1.0, 1.5, 2.0, 3.0),
        "bm25": (0.25, 0.5, 1.0, 1.5, 2.0),
        "pinyin": (0.0, 0.25, 0.5, 1.0, 1.5),
        "entity": (0.0, 0.25, 0.5, 1.0, 2.0),
        "place": (0.5, 0.7, 0.85, 1.0),
        "rrf_k": (1.0, 2.0, 5.0, 10.0) if method == "rrf" else (config.rrf_k,),
    }

    def variant(name: str, value: float) -> FusionConfig:
        if name == "rrf_k":
            return replace(config, rrf_k=value)
        if name == "place":
            return replace(config, kind_weights={"place": value})
        return replace(config, weights={**config.weights, name: value})

    best = _accuracy(searcher, cached, config)
    for _ in range(3):
        improved = False
        for name, values in choices.items():
            for value in values:
                candidate = variant(name, value)
                score = _accuracy(searcher, cached, candidate)
                if score > best + 1e-9:
                    best, config, improved = score, candidate, True
        if not improved:
            break
    return config


def compare_fusion(searcher: HybridSearcher, questions: list[Question]) -> FusionConfig:
    """Two-fold comparison of reciprocal-rank and score fusion: tune the weights on one half,
    measure on the other. Returns the best configuration tuned on all questions."""
    cached = [(q, searcher.retrieve(q.q)) for q in questions]
    halves = (cached[0::2], cached[1::2])
    best_overall: tuple[float, FusionConfig] | None = None
    for method in ("rrf", "score", "zscore"):
        held_out = []
        for train, test in (halves, halves[::-1]):
            held_out.append(_accuracy(searcher, test, _tune(searcher, train, method)))
        full = _tune(searcher, cached, method)
        print(
            f"fusion {method}: held-out (2-fold) top1+top3/2 = {sum(held_out) / 2:.3f}; "
            f"tuned on all: {_accuracy(searcher, cached, full):.3f} with {full}"
        )
        if best_overall is None or sum(held_out) / 2 > best_overall[0]:
            best_overall = (sum(held_out) / 2, full)
    assert best_overall is not None
    return best_overall[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="knowledge.retrieval.evaluate")
    parser.add_argument("--parts", default=",".join(PARTS), help="retrievers to fuse")
    parser.add_argument("--ablation", action="store_true", help="also score each part alone and each left out")
    parser.add_argument("--calibrate", action="store_true", help="refit and write calibration.json")
    parser.add_argument("--compare-fusion", action="store_true", help="RRF against score fusion, 2-fold")
    args = parser.parse_args(argv)

    searcher = make_searcher(load_catalog(), get_settings(), progress=True)
    questions = load_questions()
    if args.compare_fusion:
        searcher.fusion = compare_fusion(searcher, questions)
        print(f"using {searcher.fusion}")
    if args.calibrate:
        coefficients = fit_calibration(searcher, questions)
        CALIBRATION_FILE.write_text(
            json.dumps({"coefficients": coefficients, "fitted_on": DEV_SET.name}, indent=2) + "\n"
        )
        searcher.calibrator = Calibrator(coefficients)
        print(f"wrote {CALIBRATION_FILE}")
    parts = tuple(p for p in args.parts.split(",") if p)
    report = evaluate(searcher, questions, parts)
    print_report(report, f"fused: {'+'.join(parts)} ({len(questions)} questions)")
    for question, result in report.results:
        got = result.hits[0].doc.key if result.hits else None
        if question.expected is not None and not question.accepts(got):
            print(f"  MISS [{question.style}] {question.q} -> {got} (want {question.expected})")
    if args.ablation:
        for part in PARTS:
            print_report(evaluate(searcher, questions, (part,)), f"{part} alone")
            print_report(evaluate(searcher, questions, tuple(p for p in PARTS if p != part)), f"without {part}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
