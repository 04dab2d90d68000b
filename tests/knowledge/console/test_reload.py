"""Reloading after an edit encodes only the texts the current index does not already hold."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.console.reload import ReusingEncoder, stored_vectors
from knowledge.retrieval.encoders import Vectors, _normalised
from knowledge.retrieval.vector_index import make_index


class CountingEncoder:
    """A real (if tiny) deterministic encoder that records which passages it was asked to encode."""

    id = "counting-8"
    dim = 8

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def _vectors(self, texts: Sequence[str]) -> Vectors:
        return _normalised([[float(ord(t[i % len(t)]) % 7 + i) for i in range(self.dim)] for t in texts], self.dim)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._vectors(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        self.encoded.extend(texts)
        return self._vectors(texts)


def test_only_unknown_passages_are_encoded_and_order_is_kept() -> None:
    inner = CountingEncoder()
    known = dict(zip(["房产证丢了", "房本丢了怎么补"], inner._vectors(["房产证丢了", "房本丢了怎么补"]), strict=True))
    reusing = ReusingEncoder(inner, known)
    texts = ["房本丢了怎么补", "大本证丢了", "房产证丢了", "大本证丢了"]
    vectors = reusing.encode_passages(texts)
    assert inner.encoded == ["大本证丢了"]
    np.testing.assert_allclose(vectors, inner._vectors(texts), rtol=1e-6)
    assert reusing.id == inner.id and reusing.dim == inner.dim


def test_stored_vectors_read_back_what_the_index_holds(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    texts = ["出生登记", "社保卡补办", "护照办理"]
    index = make_index(encoder.dim, len(texts), hnsw_threshold=20000)
    index.build(encoder.encode_passages(texts))
    index.save(tmp_path / "vectors.faiss")
    (tmp_path / "meta.json").write_text('{"texts": ["出生登记", "社保卡补办", "护照办理"]}', encoding="utf-8")
    stored = stored_vectors(tmp_path)
    assert list(stored) == texts
    np.testing.assert_allclose(np.vstack(list(stored.values())), encoder._vectors(texts), rtol=1e-6)
    assert stored_vectors(tmp_path / "missing") == {}
