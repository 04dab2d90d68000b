"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from catalog.loader import Catalog
from knowledge.retrieval.engine import HybridSearcher


def get_catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


def get_searcher(request: Request) -> HybridSearcher:
    searcher: HybridSearcher = request.app.state.searcher
    return searcher


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
SearcherDep = Annotated[HybridSearcher, Depends(get_searcher)]
