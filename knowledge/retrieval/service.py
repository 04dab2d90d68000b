"""Assemble the hybrid searcher for a catalog: lexicon, encoder, stored index, entities."""

from __future__ import annotations

from catalog.loader import Catalog
from knowledge.retrieval.documents import catalog_documents
from knowledge.retrieval.encoders import make_encoder
from knowledge.retrieval.engine import HybridSearcher
from knowledge.retrieval.entities import EntityFinder
from knowledge.retrieval.lexicon import load_lexicon
from knowledge.retrieval.query_cache import CachedQueries
from knowledge.retrieval.store import load_or_build_index
from knowledge.settings import Settings


def make_searcher(
    catalog: Catalog, settings: Settings, progress: bool = False, use_lexicon: bool = True
) -> HybridSearcher:
    """`use_lexicon` adds the domain lexicon's expansions and match features (on: chosen on the
    alias-free protocol, docs/retrieval.md; off only to measure what it adds)."""
    lexicon = load_lexicon() if use_lexicon else None
    docs = catalog_documents(catalog, lexicon)
    encoder = make_encoder(settings.encoder, settings.encoder_path)
    if settings.query_cache > 0:  # repeated questions skip the query encoding (the same vectors, from memory)
        encoder = CachedQueries(encoder, settings.query_cache)
    # entities first: building them loads the catalog terms into jieba, which BM25 then uses
    entities = EntityFinder(catalog)
    index, owner, _ = load_or_build_index(
        docs, encoder, settings.data_dir, catalog.content_hash, settings.hnsw_threshold, progress
    )
    return HybridSearcher(docs, encoder, index, owner, entities, lexicon=lexicon)
