"""The supervisor's dashboard over a date range, and the audit log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from knowledge.api.deps import CatalogDep
from knowledge.console.auth import Staff
from knowledge.console.db import connect_actions
from knowledge.console.stats import figures
from knowledge.console.web import DbDep, SettingsDep, page, require
from knowledge.hotline.charts import bar_chart, donut, hour_histogram

router = APIRouter()
SupervisorDep = Annotated[Staff, require("dashboard")]
AuditDep = Annotated[Staff, require("audit")]
OUTCOME_NAMES = {"answer": "直接解答", "ask": "追问确认", "none": "未找到", "handoff": "转人工", "disliked": "差评"}


@router.get("/dashboard")
def show_dashboard(request: Request, staff: SupervisorDep, db: DbDep, settings: SettingsDep, catalog: CatalogDep,
                   start: date | None = None, end: date | None = None) -> Response:
    """Answer, ask and handoff rates, tickets by department, busiest matters and hours, satisfaction."""
    end = end or date.today()
    start = start or end - timedelta(days=29)
    if start > end:
        start, end = end, start
    actions = connect_actions(settings.actions_db)
    try:
        data = figures(actions, db, start, end, {m.id: m.department for m in catalog.matters.values()})
    finally:
        if actions is not None:
            actions.close()
    departments = {d.id: d.short_name for d in catalog.departments.values()}
    charts = [
        donut("outcomes", "问题处理结果", [(OUTCOME_NAMES[o], data.outcomes[o]) for o in ("answer", "ask", "none")]),
        bar_chart("tickets-by-department", "各部门工单",
                  [(departments.get(d, "未指派"), n) for d, n in data.tickets_by_department.most_common()]),
        bar_chart("busiest-matters", "咨询最多的事项",
                  [(catalog.matters[m].name if m in catalog.matters else m, n)
                   for m, n in data.matters.most_common(10)]),
        hour_histogram("busiest-hours", "各时段问题数", data.hours),
        donut("satisfaction", "满意度评价", [("满意", data.satisfied), ("不满意", data.dissatisfied)]),
    ]
    return page(request, "dashboard.html", staff, data=data, charts=charts, start=start, end=end)


@router.get("/audit")
def show_audit(request: Request, staff: AuditDep, db: DbDep,
               actor: Annotated[str, Query(max_length=64)] = "") -> Response:
    """The latest 500 entries of the audit log, optionally of one staff member."""
    query = "SELECT at, actor, action, target, detail FROM audit"
    rows = db.execute(query + (" WHERE actor = ?" if actor else "") + " ORDER BY id DESC LIMIT 500",
                      (actor,) if actor else ()).fetchall()
    return page(request, "audit.html", staff, rows=rows, actor=actor)
