"""Fixtures for the notice tests: the sample catalog, its raw YAML, and an app on a scratch database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from catalog.loader import DEFAULT_CATALOG_DIR, Catalog, load_catalog
from knowledge.api.routes import notices
from knowledge.notices import NoticeService

PUBLIC_URL = "http://notices.test:8000"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def raw_matters() -> dict[str, dict[str, Any]]:
    """The sample matters straight from the YAML files, bypassing the pydantic models."""
    result: dict[str, dict[str, Any]] = {}
    for path in sorted((DEFAULT_CATALOG_DIR / "matters").glob("*.yml")):
        for record in yaml.safe_load(path.read_text(encoding="utf-8"))["matters"]:
            result[record["id"]] = record
    return result


@pytest.fixture(scope="session")
def raw_themes() -> dict[str, dict[str, Any]]:
    document = yaml.safe_load((DEFAULT_CATALOG_DIR / "themes.yml").read_text(encoding="utf-8"))
    return {t["id"]: t for t in document["themes"]}


@pytest.fixture(scope="module")
def notices_app(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[FastAPI]:
    """The notice routes over the sample catalog and a fresh SQLite file."""
    app = FastAPI()
    app.include_router(notices.router)
    app.state.catalog = catalog
    app.state.notices = NoticeService.open("", tmp_path_factory.mktemp("notices"), PUBLIC_URL)
    yield app
    app.state.notices.close()


@pytest.fixture(scope="module")
def notices_client(notices_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(notices_app) as client:
        yield client
