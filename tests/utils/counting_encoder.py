"""The real e5 encoder behind a wrapper that records what it is asked to encode, for tests that
check how often encoding happens (the index's embedding cache, the query-vector cache)."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.retrieval.encoders import E5Encoder, Vectors


class CountingEncoder:
    """Encodes with `inner`, keeping every query and passage text it was given."""

    def __init__(self, inner: E5Encoder) -> None:
        self.inner = inner
        self.queries: list[str] = []
        self.passages: list[str] = []

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        self.queries += texts
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        self.passages += texts
        return self.inner.encode_passages(texts)
