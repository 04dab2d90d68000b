"""BM25 over token lists, with an inverted index so that queries touch only their postings."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from knowledge.retrieval.ranking import top_rows


class BM25:
    """Okapi BM25. IDF keeps words found in most documents (办理, 提取, 申请) from dominating.

    A token's contribution to a document does not depend on the query, so each posting list is
    stored as two arrays, rows and contributions, and a query only adds arrays (numpy).
    """

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.size = len(documents)
        lengths = [len(d) for d in documents]
        average = (sum(lengths) / self.size) if self.size else 0.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for row, document in enumerate(documents):
            for token, count in Counter(document).items():
                postings.setdefault(token, []).append((row, count))
        self._idf = {token: math.log(1 + (self.size - len(p) + 0.5) / (len(p) + 0.5)) for token, p in postings.items()}
        self._rows: dict[str, NDArray[np.intp]] = {}
        self._gains: dict[str, NDArray[np.float64]] = {}
        for token, posting in postings.items():
            idf = self._idf[token]
            gains = []
            for row, count in posting:
                # the very expression the scores were always summed from, so they stay bit-identical
                norm = k1 * (1 - b + b * lengths[row] / (average or 1))
                gains.append(idf * count * (k1 + 1) / (count + norm))
            self._rows[token] = np.array([row for row, _ in posting], dtype=np.intp)
            self._gains[token] = np.array(gains, dtype=np.float64)

    def idf(self, token: str) -> float:
        return self._idf.get(token, 0.0)

    @property
    def rarest_idf(self) -> float:
        """The IDF of a token found in one document: what a token of no document counts as."""
        return math.log(1 + (self.size - 0.5) / 1.5) if self.size else 0.0

    def contains(self, token: str, row: int) -> bool:
        """Whether document `row` holds `token` (posting rows are ascending)."""
        rows = self._rows.get(token)
        if rows is None:
            return False
        at = int(np.searchsorted(rows, row))
        return at < len(rows) and int(rows[at]) == row

    def _score_array(self, query: Sequence[str]) -> NDArray[np.float64]:
        """Score of every document (0 where no token is shared; a shared token scores above 0)."""
        total = np.zeros(self.size, dtype=np.float64)
        for token in dict.fromkeys(query):  # ordered, so float sums repeat exactly across runs
            rows = self._rows.get(token)
            if rows is not None:  # a posting list holds each row once, so += adds every gain
                total[rows] += self._gains[token]
        return total

    def scores(self, query: Sequence[str]) -> dict[int, float]:
        """Score of every document that shares a token with the query."""
        total = self._score_array(query)
        rows = np.flatnonzero(total)
        return dict(zip(rows.tolist(), total[rows].tolist(), strict=True))

    def best(self, query: Sequence[str], k: int, allowed: NDArray[np.bool_] | None = None) -> dict[int, float]:
        """The `k` best documents (of the `allowed` rows, if given) and their scores, best first."""
        total = self._score_array(query)
        rows = np.flatnonzero(total > 0 if allowed is None else (total > 0) & allowed)
        return top_rows(rows, total[rows], k)

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        return list(self.best(query, k).items())
