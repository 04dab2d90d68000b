"""Top-k selection over numpy score arrays, with the ranking's tie-break (lower row first)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# the grid scores are ranked on (engine.SCORE_DIGITS): last-digit noise must not reorder ties
SCORE_DIGITS = 4


def quantise(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    """Scores on the ranking grid, by the same arithmetic as engine.quantised (half to even)."""
    scale = 10.0**SCORE_DIGITS
    return np.round(scores * scale) / scale


def top_rows(rows: NDArray[np.intp], scores: NDArray[np.float64], k: int) -> dict[int, float]:
    """The `k` best (row, score) pairs as a dict in rank order: by score on the grid, then by row.

    The same records and order as `sorted(..., key=(-score, row))[:k]`, without sorting all of
    them: at scale BM25 and pinyin touch thousands of records, of which fusion reads 50.
    """
    if k <= 0 or len(rows) == 0:
        return {}
    grid = quantise(scores)  # ranked on the grid, returned as they are (fusion reads the values)
    if len(rows) > k:
        # keep every score tied with the k-th best, so the row tie-break decides as a full sort would
        threshold = np.partition(grid, len(grid) - k)[len(grid) - k]
        keep = grid >= threshold
        rows, scores, grid = rows[keep], scores[keep], grid[keep]
    order = np.lexsort((rows, -grid))[:k]
    return dict(zip(rows[order].tolist(), scores[order].tolist(), strict=True))
