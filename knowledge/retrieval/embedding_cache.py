"""Content-addressed passage embeddings, so an index rebuild encodes only the texts that changed.

A vector is stored under the hash of its encoder id and its text: the same text with the same
encoder always has the same vector, whichever catalog, file or import it came from. The cache is
one SQLite file under KNOWLEDGE_DATA_DIR; deleting it only costs the next build its speed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np

from knowledge.retrieval.encoders import Vectors

CACHE_FILE = "embeddings.sqlite"
STORE_EVERY = 1024  # texts encoded between two writes to the cache


def _key(encoder_id: str, text: str) -> str:
    return hashlib.sha256(f"{encoder_id}\0{text}".encode()).hexdigest()


def cached_encode(
    texts: list[str], encoder_id: str, dim: int, data_dir: Path, encode: Callable[[list[str]], Vectors]
) -> Vectors:
    """Vectors of `texts` in order: cached ones read back, the rest encoded by `encode` and stored."""
    data_dir.mkdir(parents=True, exist_ok=True)
    keys = [_key(encoder_id, text) for text in texts]
    with sqlite3.connect(data_dir / CACHE_FILE) as db:
        db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        found: dict[str, Vectors] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):  # SQLite caps the parameters of one statement
            chunk = unique[start : start + 500]
            rows = db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk
            )
            for key, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape == (dim,):
                    found[key] = vector
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
        pending = list(missing.items())
        # stored a chunk at a time: an interrupted build keeps what it has encoded
        for start in range(0, len(pending), STORE_EVERY):
            batch = pending[start : start + STORE_EVERY]
            fresh = encode([text for _, text in batch])
            for (key, _), vector in zip(batch, fresh, strict=True):
                found[key] = np.ascontiguousarray(vector, dtype=np.float32)
            db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(key, found[key].tobytes()) for key, _ in batch],
            )
            db.commit()
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    return np.vstack([found[key] for key in keys])
