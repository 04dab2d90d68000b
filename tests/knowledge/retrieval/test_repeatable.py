"""Rankings repeat on every machine: float noise in the last digits (other CPUs, other thread
counts, another summation order) must not reorder records whose scores tie (issue #13, "Also")."""

from __future__ import annotations

import random

import numpy as np

from knowledge.retrieval.engine import FusionConfig, fuse, quantised
from knowledge.retrieval.ranking import top_rows


def test_scores_equal_up_to_float_noise_tie_and_lower_row_wins() -> None:
    # the same sum in two orders: 0.6000000000000001 and 0.6
    noisy = {"dense": {7: 0.1 + 0.2 + 0.3, 3: 0.3 + 0.2 + 0.1, 5: 0.2}}
    config = FusionConfig(method="score", weights={"dense": 1.0})
    fused, _ = fuse(noisy, config, ["matter"] * 8)
    assert fused[7] == fused[3]
    assert sorted(fused, key=lambda r: (-fused[r], r))[:2] == [3, 7]


def test_a_retrievers_own_ranking_ignores_noise_below_the_grid() -> None:
    rng = random.Random(13)
    kinds = ["matter"] * 60
    base = {row: round(rng.uniform(0.80, 0.93), 3) for row in range(60)}  # packed like dense cosines
    config = FusionConfig(method="zscore", weights={"dense": 1.0})
    reference, reference_ranks = fuse({"dense": base}, config, kinds)
    for _ in range(20):
        jittered = {row: score + rng.uniform(-1e-9, 1e-9) for row, score in base.items()}
        fused, ranks = fuse({"dense": jittered}, config, kinds)
        assert ranks == reference_ranks
        assert sorted(fused, key=lambda r: (-fused[r], r)) == sorted(reference, key=lambda r: (-reference[r], r))


def test_top_rows_ranks_on_the_grid_like_fusion() -> None:
    rows = np.array([4, 2, 9], dtype=np.intp)
    scores = np.array([0.5 + 1e-12, 0.5, 0.4], dtype=np.float64)
    assert list(top_rows(rows, scores, 2)) == [2, 4]
    assert quantised(0.5 + 1e-12) == quantised(0.5)
