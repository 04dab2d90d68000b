"""Liveness and catalog status."""

from __future__ import annotations

from fastapi import APIRouter, Request

from knowledge.api.deps import CatalogDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def read_health(catalog: CatalogDep, request: Request) -> dict[str, object]:
    """Report that the service is up, which catalog it serves, and any configuration warnings."""
    return {
        "status": "ok",
        "catalog_hash": catalog.content_hash,
        "matters": len(catalog.matters),
        "policies": len(catalog.policies),
        "themes": len(catalog.themes),
        "places": len(catalog.places),
        # e.g. a loopback KNOWLEDGE_PUBLIC_URL while serving a network: printed QR codes would be dead
        "warnings": list(getattr(request.app.state, "warnings", [])),
    }
