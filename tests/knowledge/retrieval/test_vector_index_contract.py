"""Every VectorIndex keeps the same contract: build, search best first, save and load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.retrieval.vector_index import FaissIndex, VectorIndex, make_index

DIM = 32


def _vectors(n: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(params=["flat", "hnsw"])
def index(request: pytest.FixtureRequest) -> VectorIndex:
    return FaissIndex(DIM, hnsw_m=16 if request.param == "hnsw" else 0)


def test_search_finds_each_vector_first_with_score_one(index: VectorIndex) -> None:
    vectors = _vectors(300)
    index.build(vectors)
    assert len(index) == 300
    for row in (0, 17, 299):
        hits = index.search(vectors[row], 5)
        assert hits[0][0] == row
        assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
        assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_save_and_load_give_the_same_results(index: VectorIndex, tmp_path: Path) -> None:
    vectors = _vectors(100)
    index.build(vectors)
    index.save(tmp_path / "v.faiss")
    loaded = FaissIndex(DIM, hnsw_m=index.hnsw_m)
    loaded.load(tmp_path / "v.faiss")
    assert loaded.search(vectors[3], 4) == index.search(vectors[3], 4)


def test_empty_index_and_k_larger_than_size(index: VectorIndex) -> None:
    assert index.search(_vectors(1)[0], 3) == []
    index.build(_vectors(2))
    assert len(index.search(_vectors(1)[0], 10)) == 2


def test_hnsw_is_chosen_above_the_threshold() -> None:
    assert make_index(DIM, 999, hnsw_threshold=1000).kind == "flat"
    assert make_index(DIM, 1000, hnsw_threshold=1000).kind.startswith("hnsw")
