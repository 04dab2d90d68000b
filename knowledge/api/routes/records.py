"""Catalog records by id: matters, policies, themes and places."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from catalog.models import Matter, Place, Policy, Theme
from knowledge.api.deps import CatalogDep, SearcherDep
from knowledge.retrieval.engine import HybridSearcher

router = APIRouter(prefix="/v1", tags=["records"])


def _not_found(kind: str, record_id: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"unknown {kind} '{record_id}'")


def matter_public(matter: Matter, catalog_department_name: str) -> dict[str, Any]:
    """The matter as JSON, with each material's `required` and `shared` flags spelled out."""
    data = matter.model_dump(mode="json")
    data["kind"] = "matter"
    data["department_name"] = catalog_department_name
    for material in data["materials"]:
        material["required"] = material["necessity"]
        material["shared"] = material["source"] == "数据共享免提交"
    return data


def expansions_public(searcher: HybridSearcher, key: str) -> dict[str, Any] | None:
    """What the domain lexicon read in a record's name and added to its search texts, so an
    operator sees why an everyday question found it; None when the search runs without it."""
    doc = searcher.document(key)
    if doc is None or searcher.lexicon is None:
        return None
    return {"object": doc.object, "action": doc.action, "everyday_texts": list(doc.expansions)}


@router.get("/matters/{matter_id}")
def read_matter(matter_id: str, catalog: CatalogDep, searcher: SearcherDep) -> dict[str, Any]:
    """One matter with its situations, materials, location and lexicon expansions."""
    matter = catalog.matters.get(matter_id)
    if matter is None:
        raise _not_found("matter", matter_id)
    data = matter_public(matter, catalog.departments[matter.department].name)
    data["expansions"] = expansions_public(searcher, f"matter:{matter_id}")
    return data


@router.get("/policies/{policy_id}")
def read_policy(policy_id: str, catalog: CatalogDep) -> dict[str, Any]:
    """One policy with its conditions, benefit and contact."""
    policy: Policy | None = catalog.policies.get(policy_id)
    if policy is None:
        raise _not_found("policy", policy_id)
    return {"kind": "policy", **policy.model_dump(mode="json")}


@router.get("/themes/{theme_id}")
def read_theme(theme_id: str, catalog: CatalogDep) -> dict[str, Any]:
    """One theme service with the names of its matters."""
    theme: Theme | None = catalog.themes.get(theme_id)
    if theme is None:
        raise _not_found("theme", theme_id)
    data = {"kind": "theme", **theme.model_dump(mode="json")}
    data["matter_names"] = [catalog.matters[m].name for m in theme.matters]
    return data


@router.get("/places/{place_id}")
def read_place(place_id: str, catalog: CatalogDep) -> dict[str, Any]:
    """One place on the hall map, with the businesses of its windows."""
    place: Place | None = catalog.places.get(place_id)
    if place is None:
        raise _not_found("place", place_id)
    data = {"kind": "place", **place.model_dump(mode="json")}
    data["hall_name"] = catalog.places[place.hall].name if place.hall else place.name
    data["window_businesses"] = {
        w.number: w.businesses for w in catalog.hall.windows if w.number in place.windows
    }
    return data
