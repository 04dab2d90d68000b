"""The numpy postings of BM25 and the pinyin index, and the top-k cut before fusion, give
exactly what the plain-Python versions they replaced gave (issue #3: faster, same answers)."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pytest

from catalog.loader import load_catalog
from knowledge.retrieval import text
from knowledge.retrieval.encoders import Encoder, Vectors
from knowledge.retrieval.engine import PARTS, HybridSearcher, quantised
from knowledge.retrieval.evaluate import load_questions
from knowledge.retrieval.lexical import BM25
from knowledge.retrieval.phonetic import PhoneticIndex
from knowledge.retrieval.ranking import top_rows
from knowledge.retrieval.service import make_searcher
from knowledge.retrieval.text import syllable_bigrams
from knowledge.settings import get_settings


def reference_bm25(documents: Sequence[Sequence[str]], query: Sequence[str]) -> dict[int, float]:
    """BM25 as lexical.py computed it before the numpy postings (k1 1.2, b 0.75)."""
    k1, b = 1.2, 0.75
    lengths = [len(d) for d in documents]
    average = sum(lengths) / len(documents)
    postings: dict[str, list[tuple[int, int]]] = {}
    for row, document in enumerate(documents):
        for token, count in Counter(document).items():
            postings.setdefault(token, []).append((row, count))
    result: dict[int, float] = {}
    for token in dict.fromkeys(query):
        if token not in postings:
            continue
        idf = math.log(1 + (len(documents) - len(postings[token]) + 0.5) / (len(postings[token]) + 0.5))
        for row, count in postings[token]:
            norm = k1 * (1 - b + b * lengths[row] / average)
            result[row] = result.get(row, 0.0) + idf * count * (k1 + 1) / (count + norm)
    return result


def reference_heard(documents: Sequence[Sequence[str]], query: str) -> list[tuple[int, float, int, int, float]]:
    """Per heard name or alias, as phonetic.py computed it before: (row, weight heard, bigrams
    heard, bigrams in all, weight of all)."""
    texts = [(row, tuple(dict.fromkeys(syllable_bigrams(t)))) for row, ts in enumerate(documents) for t in ts]
    texts = [(row, bigrams) for row, bigrams in texts if bigrams]
    frequency: dict[str, set[int]] = {}
    for row, bigrams in texts:
        for bigram in bigrams:
            frequency.setdefault(bigram, set()).add(row)
    idf = {g: math.log(1 + len(documents) / len(rows)) for g, rows in frequency.items()}
    heard: dict[int, tuple[float, int]] = {}
    for bigram in dict.fromkeys(syllable_bigrams(query)):
        for position, (_, bigrams) in enumerate(texts):
            if bigram in bigrams:
                weight, count = heard.get(position, (0.0, 0))
                heard[position] = (weight + idf[bigram], count + 1)
    return [
        (texts[p][0], weight, count, len(texts[p][1]), sum(idf[g] for g in texts[p][1]))
        for p, (weight, count) in heard.items()
    ]


class _MemoEncoder:
    """The searcher's encoder, each question embedded once (both searches below embed it)."""

    def __init__(self, encoder: Encoder) -> None:
        self.id = encoder.id
        self.dim = encoder.dim
        self._inner = encoder
        self._encode = lru_cache(maxsize=None)(lambda t: encoder.encode_queries([t])[0])

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return np.vstack([self._encode(t) for t in texts])

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._inner.encode_passages(texts)


@pytest.fixture(scope="module")
def searcher() -> HybridSearcher:
    base = make_searcher(load_catalog(), get_settings())
    return HybridSearcher(base.docs, _MemoEncoder(base.encoder), base.index, base.text_owner, base.entities)


@pytest.fixture(scope="module")
def catalog_texts(searcher: HybridSearcher) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], list[str]]:
    """Lexical tokens and phonetic names of every catalog record, and the dev questions."""
    lexical = [text.tokens(d.lexical_text) for d in searcher.docs]
    phonetic = [d.phonetic_texts for d in searcher.docs]
    return lexical, phonetic, [q.q for q in load_questions()]


def test_bm25_scores_equal_the_plain_python_ones_exactly(
    catalog_texts: tuple[list[tuple[str, ...]], list[tuple[str, ...]], list[str]],
) -> None:
    lexical, _, questions = catalog_texts
    bm25 = BM25(lexical)
    for question in questions:
        query = text.tokens(question)
        assert bm25.scores(query) == reference_bm25(lexical, query), question


def test_pinyin_scores_heard_and_coverage_equal_the_plain_python_ones_exactly(
    catalog_texts: tuple[list[tuple[str, ...]], list[tuple[str, ...]], list[str]],
) -> None:
    _, phonetic, questions = catalog_texts
    index = PhoneticIndex(phonetic)
    for question in questions[::4]:  # the reference scans every alias per bigram: slow
        heard = reference_heard(phonetic, question)
        best: dict[int, float] = {}
        whole: dict[int, int] = {}
        coverage: dict[int, float] = {}
        for row, weight, count, length, total in heard:
            best[row] = max(best.get(row, 0.0), weight * weight / total)
            coverage[row] = max(coverage.get(row, 0.0), weight / total)
            if count >= 2 and count == length:
                whole[row] = max(whole.get(row, 0), count)
        assert index.scores(question) == best, question
        assert index.heard_whole(question) == whole, question
        assert {row: index.coverage(question, row) for row in coverage} == coverage, question
        assert index.coverage(question, len(phonetic) + 1) == 0.0


def test_top_rows_is_a_full_sort_cut_at_k_ties_included() -> None:
    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(0, 300)
        rows = np.array(rng.sample(range(1000), n), dtype=np.intp)
        scores = np.array([rng.choice([0.5, 1.0, 1.5, rng.random()]) for _ in range(n)], dtype=np.float64)
        k = rng.randint(0, 60)
        # ranked on the score grid (engine.quantised), ties by row; the scores come back unrounded
        expected = sorted(
            zip(rows.tolist(), scores.tolist(), strict=True), key=lambda p: (-quantised(p[1]), p[0])
        )[:k]
        assert list(top_rows(rows, scores, k).items()) == expected


@pytest.mark.parametrize("kind", [None, "matter", "policy", "theme", "place"])
def test_search_cut_to_the_fusion_depth_ranks_as_fusing_everything(searcher: HybridSearcher, kind: str | None) -> None:
    for question in [q.q for q in load_questions()][::3]:
        for parts in (PARTS, ("bm25",), ("pinyin",)):
            cut = searcher.search(question, k=5, kind=kind, parts=parts)
            full = searcher.rank(question, searcher.retrieve(question, parts), k=5, kind=kind)
            assert [(h.doc.key, h.score, h.parts) for h in cut.hits] == [
                (h.doc.key, h.score, h.parts) for h in full.hits
            ], (question, kind, parts)
            assert (cut.confidence, cut.features) == (full.confidence, full.features)
