"""The last query vectors, kept in memory: a question asked again (hotlines and hall kiosks hear
the same ones all day) skips the e5 encoding, which is most of a search's CPU (about 18 ms of
the knowledge service's ~25 ms per turn, docs/benchmarks.md "CPU per turn").

Only single-query calls are cached, keyed by the exact text encoded, so a hit returns the very
vector the encoder gives that text; batches (evaluations) pass straight through. Its size is
KNOWLEDGE_QUERY_CACHE (texts, 1.5 kB each at e5-small's 384 dimensions; 0 turns it off).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from knowledge.retrieval.encoders import Encoder, Vectors


class CachedQueries:
    """An Encoder that remembers its last `size` single-query vectors (least recently used out)."""

    def __init__(self, encoder: Encoder, size: int = 1024) -> None:
        self.encoder = encoder
        self.size = size
        self.hits = 0
        self.misses = 0
        self._vectors: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def id(self) -> str:
        return self.encoder.id

    @property
    def dim(self) -> int:
        return self.encoder.dim

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        if len(texts) != 1:
            return self.encoder.encode_queries(texts)
        text = texts[0]
        with self._lock:
            cached = self._vectors.get(text)
            if cached is not None:
                self._vectors.move_to_end(text)
                self.hits += 1
                return cached.copy()  # callers may write into what they get
        vectors = self.encoder.encode_queries([text])
        with self._lock:
            self.misses += 1
            self._vectors[text] = vectors.copy()
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        return vectors

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self.encoder.encode_passages(texts)
