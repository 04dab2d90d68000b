"""Top-k selection over numpy score arrays, with the ranking's tie-break (lower row first)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def top_rows(rows: NDArray[np.intp], scores: NDArray[np.float64], k: int) -> dict[int, float]:
    """The `k` best (row, score) pairs as a dict in rank order: by score, then by row.

    The same records and order as `sorted(..., key=(-score, row))[:k]`, without sorting all of
    them: at scale BM25 and pinyin touch thousands of records, of which fusion reads 50.
    """
    if k <= 0 or len(rows) == 0:
        return {}
    if len(rows) > k:
        # keep every score tied with the k-th best, so the row tie-break decides as a full sort would
        threshold = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= threshold
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, -scores))[:k]
    return dict(zip(rows[order].tolist(), scores[order].tolist(), strict=True))
