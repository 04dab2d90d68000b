"""Hybrid search over matters, policies, themes and places."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from common.pii import mask_pii
from knowledge.api.deps import SearcherDep

router = APIRouter(prefix="/v1", tags=["search"])
logger = logging.getLogger(__name__)

MAX_QUERY = 500
# Every search runs on this one thread. The e5 encoder's OpenMP settings and worker team belong
# to the calling thread (a query runs on one thread, see E5Encoder): FastAPI's thread pool would
# hand successive requests to different threads, each with its own team, competing for the cores.
SEARCH_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search")


class SearchHitPublic(BaseModel):
    kind: str
    id: str
    name: str
    score: float
    snippet: str


class SearchPublic(BaseModel):
    query: str
    results: list[SearchHitPublic]
    confidence: float  # calibrated probability that results[0] is what was meant
    margin: float  # relative lead of results[0] over the runner-up, 0..1
    decision: Literal["answer", "ask", "none"]  # what a caller should do with the results
    # what the domain lexicon reads in the question: "objects", "actions", "purposes", "benefits",
    # "facilities" (docs/retrieval.md); a caller reads what it leaves out from the conversation.
    # An addition: the fields above are unchanged
    reading: dict[str, list[str]] = {}


@router.get("/search")
async def search_records(
    searcher: SearcherDep,
    q: Annotated[str, Query(max_length=MAX_QUERY, description="the question, in everyday words")],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    kind: Literal["matter", "policy", "place", "theme"] | None = None,
) -> SearchPublic:
    """Find the records a question is about, best first, with a confidence."""
    if not q.strip():
        raise HTTPException(status_code=422, detail="q must not be empty")
    result = await asyncio.get_running_loop().run_in_executor(SEARCH_THREAD, searcher.search, q.strip(), k, kind)
    # questions may carry ID card or phone numbers: the log never sees them unmasked
    logger.info(
        "search q=%r kind=%s decision=%s confidence=%.3f top=%s",
        mask_pii(q), kind, result.decision, result.confidence, result.hits[0].doc.key if result.hits else None,
    )
    return SearchPublic(
        query=q,
        results=[
            SearchHitPublic(kind=h.doc.kind, id=h.doc.id, name=h.doc.name, score=h.score, snippet=h.doc.snippet)
            for h in result.hits
        ],
        confidence=result.confidence,
        margin=result.margin,
        decision=result.decision,
        reading={kind: list(words) for kind, words in result.reading.items()},
    )
