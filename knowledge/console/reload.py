"""Reloading the catalog into the running knowledge service after an edit in the console.

A changed catalog has a new content hash and so needs a new dense index. The build encodes only
texts never encoded before (passage vectors are cached by encoder id and text,
knowledge/retrieval/embedding_cache.py), so an added alias encodes one new text, not the whole
catalog (seconds instead of minutes on two cores)."""

from __future__ import annotations

from fastapi import FastAPI

from catalog.loader import Catalog, load_catalog
from knowledge.retrieval.service import make_searcher
from knowledge.settings import get_settings


def reload_catalog(app: FastAPI) -> Catalog:
    """Load the catalog again from its directory and swap in a searcher over it (call on the
    search thread: the encoder's threads belong to it)."""
    current: Catalog = app.state.catalog
    catalog = load_catalog(current.source_dir)
    app.state.catalog, app.state.searcher = catalog, make_searcher(catalog, get_settings())
    return catalog
