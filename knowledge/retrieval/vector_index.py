"""Dense vector indexes over faiss: exact inner product, or HNSW for large catalogs."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, cast

import faiss
import numpy as np

from knowledge.retrieval.encoders import Vectors


class VectorIndex(Protocol):
    """Inner-product search over normalised vectors; results are (row, score), best first."""

    def build(self, vectors: Vectors) -> None: ...

    def search(self, query: Vectors, k: int) -> list[tuple[int, float]]: ...

    def save(self, path: Path) -> None: ...

    def load(self, path: Path) -> None: ...

    def __len__(self) -> int: ...


class FaissIndex:
    """A faiss index; `hnsw_m` > 0 makes it HNSW (approximate), otherwise exact (flat)."""

    def __init__(self, dim: int, hnsw_m: int = 0, ef_search: int = 128) -> None:
        self.dim = dim
        self.hnsw_m = hnsw_m
        self.ef_search = ef_search
        self._index: faiss.Index = self._empty()

    def _empty(self) -> faiss.Index:
        if self.hnsw_m:
            index = faiss.IndexHNSWFlat(self.dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = self.ef_search
            return index
        return faiss.IndexFlatIP(self.dim)

    @property
    def kind(self) -> str:
        return f"hnsw{self.hnsw_m}" if self.hnsw_m else "flat"

    def build(self, vectors: Vectors) -> None:
        self._index = self._empty()
        if len(vectors):
            self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def search(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        if self._index.ntotal == 0 or k <= 0:
            return []
        scores, rows = self._index.search(
            np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), min(k, self._index.ntotal)
        )
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    def load(self, path: Path) -> None:
        self._index = faiss.read_index(str(path))
        if self.hnsw_m:
            hnsw = cast(faiss.IndexHNSWFlat, faiss.downcast_index(self._index))
            hnsw.hnsw.efSearch = self.ef_search

    def __len__(self) -> int:
        return int(self._index.ntotal)


def make_index(dim: int, size: int, hnsw_threshold: int) -> FaissIndex:
    """Exact search while the catalog is small; HNSW once it has `hnsw_threshold` texts."""
    return FaissIndex(dim, hnsw_m=32 if size >= hnsw_threshold else 0)
