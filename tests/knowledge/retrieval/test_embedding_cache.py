"""The incremental index: a rebuild after one matter changes encodes only that matter's texts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from catalog.loader import load_catalog
from knowledge.retrieval.documents import catalog_documents
from knowledge.retrieval.encoders import E5Encoder
from knowledge.retrieval.engine import dense_texts
from knowledge.retrieval.store import build_index
from tests.utils.catalog_factory import write_catalog
from tests.utils.counting_encoder import CountingEncoder


def test_a_rebuild_encodes_only_changed_texts_and_gives_the_same_vectors(tmp_path: Path) -> None:
    directory = write_catalog(tmp_path / "catalog")
    encoder = CountingEncoder(E5Encoder())
    catalog = load_catalog(directory)
    docs = catalog_documents(catalog)
    build_index(docs, encoder, tmp_path / "data", catalog.content_hash, hnsw_threshold=20000)
    texts, _ = dense_texts(docs)
    assert set(encoder.passages) == set(texts)

    path = directory / "matters" / "hz.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["matters"][1]["summary"] = "换领居民身份证的新概述。"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    changed = load_catalog(directory)
    assert changed.content_hash != catalog.content_hash
    encoder.passages.clear()
    new_docs = catalog_documents(changed)
    index, _ = build_index(new_docs, encoder, tmp_path / "data", changed.content_hash, hnsw_threshold=20000)
    new_texts, _ = dense_texts(new_docs)
    assert encoder.passages == [t for t in dict.fromkeys(new_texts) if t not in set(texts)]
    assert encoder.passages and all("新概述" in t for t in encoder.passages)

    # what the cache gave back is what a fresh encoding gives
    query = encoder.encode_queries(["换领身份证"])
    fresh = build_index(new_docs, encoder.inner, tmp_path / "fresh", changed.content_hash, 20000)[0]
    assert [i for i, _ in index.search(query, 3)] == [i for i, _ in fresh.search(query, 3)]
    assert np.allclose([s for _, s in index.search(query, 3)], [s for _, s in fresh.search(query, 3)], atol=1e-5)
