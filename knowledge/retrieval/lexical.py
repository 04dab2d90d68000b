"""BM25 over token lists, with an inverted index so that queries touch only their postings."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence


class BM25:
    """Okapi BM25. IDF keeps words found in most documents (办理, 提取, 申请) from dominating."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.size = len(documents)
        self._lengths = [len(d) for d in documents]
        self._average = (sum(self._lengths) / self.size) if self.size else 0.0
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for row, document in enumerate(documents):
            for token, count in Counter(document).items():
                self._postings.setdefault(token, []).append((row, count))
        self._idf = {
            token: math.log(1 + (self.size - len(p) + 0.5) / (len(p) + 0.5))
            for token, p in self._postings.items()
        }

    def idf(self, token: str) -> float:
        return self._idf.get(token, 0.0)

    def scores(self, query: Sequence[str]) -> dict[int, float]:
        """Score of every document that shares a token with the query."""
        result: dict[int, float] = {}
        for token in dict.fromkeys(query):  # ordered, so float sums repeat exactly across runs
            idf = self._idf.get(token)
            if idf is None:
                continue
            for row, count in self._postings[token]:
                norm = self.k1 * (1 - self.b + self.b * self._lengths[row] / (self._average or 1))
                result[row] = result.get(row, 0.0) + idf * count * (self.k1 + 1) / (count + norm)
        return result

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        ranked = sorted(self.scores(query).items(), key=lambda item: (-item[1], item[0]))
        return ranked[:k]
