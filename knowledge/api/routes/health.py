"""Liveness and catalog status."""

from __future__ import annotations

from fastapi import APIRouter

from knowledge.api.deps import CatalogDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def read_health(catalog: CatalogDep) -> dict[str, object]:
    """Report that the service is up and which catalog it serves."""
    return {
        "status": "ok",
        "catalog_hash": catalog.content_hash,
        "matters": len(catalog.matters),
        "policies": len(catalog.policies),
        "themes": len(catalog.themes),
        "places": len(catalog.places),
    }
