"""The knowledge service: the catalog and its hybrid search behind a FastAPI app."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from catalog.loader import load_catalog
from common.offline_docs import add_offline_docs
from common.pii import install_log_masking
from common.security import refuse_default_secrets
from knowledge.api.errors import validation_error
from knowledge.api.routes import health, notices, policies, records, search
from knowledge.console.web import install as install_console
from knowledge.notices import NoticeService
from knowledge.retrieval.service import make_searcher
from knowledge.settings import get_settings

logger = logging.getLogger("knowledge")


class CatalogMismatch(RuntimeError):
    """This replica's catalog is not the one its balancer's other replicas serve."""


def check_catalog_hash(actual: str, expected: str) -> None:
    if expected and actual != expected:
        raise CatalogMismatch(
            f"catalog hash {actual} differs from KNOWLEDGE_EXPECTED_CATALOG_HASH={expected}: "
            "refusing to serve answers the other replicas would not give"
        )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    install_log_masking("uvicorn.access", "uvicorn.error")
    # A catalog with errors raises here, so the service refuses to start rather than serve part of it.
    settings = get_settings()
    # Said at start and on /healthz: the operator sees it before a single notice is printed.
    app.state.warnings = [w for w in [settings.public_url_warning()] if w]
    for warning in app.state.warnings:
        logger.warning(warning)
    app.state.catalog = load_catalog(settings.catalog_dir)
    check_catalog_hash(app.state.catalog.content_hash, settings.expected_catalog_hash)
    app.state.searcher = make_searcher(app.state.catalog, settings)
    # The first search loads the encoder's weights and jieba's tables (seconds on 2 cores); pay
    # that here, before /healthz says ready, not on the first citizen's question.
    await asyncio.get_running_loop().run_in_executor(search.SEARCH_THREAD, app.state.searcher.search, "社保卡怎么办", 1)
    app.state.notices = NoticeService.open(settings.notices_db_url, settings.data_dir, settings.public_url)
    yield
    app.state.notices.close()


# before anything is served: development secrets only on loopback (docs/security.md)
refuse_default_secrets("knowledge service")
app = FastAPI(title="政务导办 knowledge service", version="0.2.0", lifespan=lifespan, docs_url=None, redoc_url=None)
app.add_exception_handler(RequestValidationError, validation_error)
add_offline_docs(app)
app.include_router(health.router)
app.include_router(search.router)
app.include_router(policies.router)
app.include_router(records.router)
app.include_router(notices.router)
install_console(app)  # the staff console at /console/ (docs/console.md)
