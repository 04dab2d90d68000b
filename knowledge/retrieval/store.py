"""The dense index on disk, keyed by the catalog's content hash and the encoder id; rebuilt
when either changes or when the indexed texts no longer match the catalog."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from tqdm import tqdm

from knowledge.retrieval.documents import SearchDoc
from knowledge.retrieval.embedding_cache import cached_encode
from knowledge.retrieval.encoders import Encoder
from knowledge.retrieval.engine import dense_texts
from knowledge.retrieval.vector_index import FaissIndex, make_index

BATCH = 32


def index_dir(data_dir: Path, catalog_hash: str, encoder_id: str) -> Path:
    return data_dir / "index" / f"{catalog_hash}-{encoder_id}"


def encode_all(encoder: Encoder, texts: list[str], progress: bool) -> np.ndarray:
    chunks = range(0, len(texts), BATCH)
    bar = tqdm(chunks, desc="encoding", unit="batch", disable=not progress)
    parts = [encoder.encode_passages(texts[i : i + BATCH]) for i in bar]
    return np.vstack(parts) if parts else np.zeros((0, encoder.dim), dtype=np.float32)


def build_index(
    docs: list[SearchDoc],
    encoder: Encoder,
    data_dir: Path,
    catalog_hash: str,
    hnsw_threshold: int,
    progress: bool = False,
) -> tuple[FaissIndex, list[int]]:
    """Encode every dense text, build the faiss index and write it with its metadata."""
    texts, owner = dense_texts(docs)
    # only texts never encoded before are encoded: one edited matter re-embeds only its own texts
    vectors = cached_encode(
        texts, encoder.id, encoder.dim, data_dir, lambda missing: encode_all(encoder, missing, progress)
    )
    index = make_index(encoder.dim, len(texts), hnsw_threshold)
    index.build(vectors)
    target = index_dir(data_dir, catalog_hash, encoder.id)
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    index.save(staging / "vectors.faiss")
    meta = {"catalog_hash": catalog_hash, "encoder": encoder.id, "kind": index.kind, "texts": texts}
    (staging / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    # swap in whole, so a crash mid-build never leaves a half-written index behind
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return index, owner


def load_or_build_index(
    docs: list[SearchDoc],
    encoder: Encoder,
    data_dir: Path,
    catalog_hash: str,
    hnsw_threshold: int,
    progress: bool = False,
) -> tuple[FaissIndex, list[int], bool]:
    """The stored index if it is current, else a fresh build. Returns (index, owner, built)."""
    texts, owner = dense_texts(docs)
    target = index_dir(data_dir, catalog_hash, encoder.id)
    try:
        meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
        if meta["texts"] == texts:
            index = make_index(encoder.dim, len(texts), hnsw_threshold)
            if index.kind == meta["kind"]:
                index.load(target / "vectors.faiss")
                if len(index) == len(texts):
                    return index, owner, False
    except (OSError, ValueError, KeyError, RuntimeError):
        pass  # missing or unreadable: rebuild below
    index, owner = build_index(docs, encoder, data_dir, catalog_hash, hnsw_threshold, progress)
    return index, owner, True
