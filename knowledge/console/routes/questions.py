"""The unanswered-question queue: groups of similar questions, and what an editor does with them."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from knowledge.api.deps import CatalogDep, SearcherDep
from knowledge.api.routes.search import SEARCH_THREAD
from knowledge.console import questions as queue
from knowledge.console.aliases import AliasError, add_alias
from knowledge.console.auth import Staff
from knowledge.console.db import audit, connect_actions
from knowledge.console.reload import reload_catalog
from knowledge.console.web import DbDep, FormDep, SettingsDep, page, redirect, require

router = APIRouter(prefix="/questions")
EditorDep = Annotated[Staff, require("questions")]
MAX_GROUPS = 30
_KEY = re.compile(r"^(log|hotline):\d+$")
DONE_MESSAGES = {"out_of_scope": "已标记为不属于办事目录。", "department": "已转交部门。"}


async def _on_search_thread(function: Any, *args: Any) -> Any:
    # the encoder's OpenMP team belongs to the search thread (knowledge/api/routes/search.py)
    return await asyncio.get_running_loop().run_in_executor(SEARCH_THREAD, function, *args)


def _queue(db: DbDep, settings: SettingsDep) -> list[queue.Question]:
    actions = connect_actions(settings.actions_db)
    try:
        return queue.load_queue(actions, db)
    finally:
        if actions is not None:
            actions.close()


def _picked(db: DbDep, settings: SettingsDep, form: dict[str, str]) -> list[queue.Question]:
    keys = {k for k in form.get("keys", "").split(",") if _KEY.match(k)}
    return [q for q in _queue(db, settings) if q.key in keys]


@router.get("")
async def list_questions(request: Request, staff: EditorDep, db: DbDep, settings: SettingsDep,
                         searcher: SearcherDep, catalog: CatalogDep, done: str = "") -> Response:
    """Groups of similar unanswered questions, largest first, each with the matters the search suggests."""
    pending = _queue(db, settings)

    def build() -> list[tuple[queue.Group, list[tuple[str, str]]]]:
        groups = queue.group_questions(pending, searcher.encoder)[:MAX_GROUPS]
        return [(g, queue.suggestions(searcher, g.representative)) for g in groups]

    groups = await _on_search_thread(build)
    return page(request, "questions.html", staff, groups=groups, total=len(pending), matters=catalog.matters,
                departments=catalog.departments, outcome_names={**queue.QUEUED_OUTCOMES, "hotline": "热线"},
                message=DONE_MESSAGES.get(done, ""))


@router.post("/alias")
async def add_alias_for_group(request: Request, staff: EditorDep, db: DbDep, settings: SettingsDep,
                              catalog: CatalogDep, form: FormDep) -> Response:
    """Add the alias to the matter, reload the catalog, and show the matter's rank before and after."""
    picked = _picked(db, settings, form)
    matter_id, alias = form.get("matter_id", ""), form.get("alias", "").strip()
    if not picked:
        return redirect("/console/questions")
    texts = sorted({q.text for q in picked})

    def before_and_change() -> list[int | None]:
        ranks = [queue.rank_of(request.app.state.searcher, t, matter_id) for t in texts]
        add_alias(catalog, matter_id, alias)
        return ranks

    try:
        before = await _on_search_thread(before_and_change)
    except AliasError as problem:
        return page(request, "error.html", staff, status=400, message=str(problem))
    await _on_search_thread(reload_catalog, request.app)
    after = await _on_search_thread(lambda: [queue.rank_of(request.app.state.searcher, t, matter_id) for t in texts])
    matter = request.app.state.catalog.matters[matter_id]
    queue.triage(db, [q.key for q in picked], "alias", f"{matter_id}: {alias}", staff.username)
    with db:
        audit(db, staff.username, "catalog_add_alias", matter_id, alias)
    return page(request, "alias_done.html", staff, matter=matter, alias=alias,
                rows=list(zip(texts, before, after, strict=True)),
                catalog_hash=request.app.state.catalog.content_hash)


@router.post("/out-of-scope")
def mark_out_of_scope(staff: EditorDep, db: DbDep, settings: SettingsDep, form: FormDep) -> Response:
    """Not a matter of the hall (weather, chat): off the queue, recorded."""
    picked = _picked(db, settings, form)
    queue.triage(db, [q.key for q in picked], "out_of_scope", picked[0].text if picked else "", staff.username)
    return redirect("/console/questions?done=out_of_scope")


@router.post("/department")
def send_to_department(request: Request, staff: EditorDep, db: DbDep, settings: SettingsDep, catalog: CatalogDep,
                       form: FormDep) -> Response:
    """A question the catalog should answer but no matter covers: the department is asked to add one."""
    department = form.get("department", "")
    if department not in catalog.departments:
        return page(request, "error.html", staff, status=400, message="请选择目录中的部门。")
    picked = _picked(db, settings, form)
    detail = f"{department}: {picked[0].text if picked else ''}"
    queue.triage(db, [q.key for q in picked], "department", detail, staff.username)
    return redirect("/console/questions?done=department")
