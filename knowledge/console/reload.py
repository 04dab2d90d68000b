"""Reloading the catalog into the running knowledge service after an edit in the console.

A changed catalog has a new content hash and so needs a new dense index. Its vectors are built
from the ones the current index already holds, so an added alias encodes one new text, not the
whole catalog (seconds instead of minutes on two cores)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np
from fastapi import FastAPI

from catalog.loader import Catalog, load_catalog
from knowledge.retrieval.documents import catalog_documents
from knowledge.retrieval.encoders import Encoder, Vectors
from knowledge.retrieval.service import make_searcher
from knowledge.retrieval.store import build_index, index_dir
from knowledge.settings import get_settings

logger = logging.getLogger(__name__)


class ReusingEncoder:
    """An encoder that answers passages it has seen from stored vectors and encodes only the rest."""

    def __init__(self, inner: Encoder, known: dict[str, np.ndarray]) -> None:
        self.inner = inner
        self.known = known

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        missing = [t for t in dict.fromkeys(texts) if t not in self.known]
        if missing:
            self.known.update(zip(missing, self.inner.encode_passages(missing), strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self.known[t] for t in texts]).astype(np.float32)


def stored_vectors(directory: Path) -> dict[str, np.ndarray]:
    """text → vector of a stored index; empty if it cannot be read."""
    try:
        texts = json.loads((directory / "meta.json").read_text(encoding="utf-8"))["texts"]
        index = faiss.read_index(str(directory / "vectors.faiss"))
        vectors = index.reconstruct_n(0, index.ntotal)
    except (OSError, ValueError, KeyError, RuntimeError) as error:
        logger.info("no stored vectors to reuse in %s: %s", directory, error)
        return {}
    return dict(zip(texts, vectors, strict=True)) if len(texts) == len(vectors) else {}


def reload_catalog(app: FastAPI) -> Catalog:
    """Load the catalog again from its directory and swap in a searcher over it (call on the
    search thread: the encoder's threads belong to it)."""
    settings = get_settings()
    current: Catalog = app.state.catalog
    catalog = load_catalog(current.source_dir)
    if catalog.content_hash != current.content_hash:
        encoder = app.state.searcher.encoder
        known = stored_vectors(index_dir(settings.data_dir, current.content_hash, encoder.id))
        build_index(catalog_documents(catalog), ReusingEncoder(encoder, known), settings.data_dir,
                    catalog.content_hash, settings.hnsw_threshold)
    app.state.catalog, app.state.searcher = catalog, make_searcher(catalog, settings)
    return catalog
