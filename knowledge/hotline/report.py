"""The outputs of a batch: one CSV row per call and a self-contained HTML report.

Every caller-derived text in a CallAnalysis is already masked (see knowledge.hotline.analysis), so
nothing here may take text from a Call directly.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from knowledge.hotline import charts
from knowledge.hotline.analysis import OUTCOME_LABELS, UNASSIGNED, CallAnalysis, Question
from knowledge.hotline.calls import HALL_TZ, BadLine

CSV_COLUMNS = (
    "call_id",
    "start_time",
    "caller_number",
    "agent_id",
    "outcome",
    "work_order_reasons",
    "department",
    "matters",
    "policies",
    "catalog_answer",
    "summary",
    "knowledge_gaps",
)
TOP_RECORDS = 10
LIST_SEPARATOR = "；"


def _gap_text(gap: Question) -> str:
    return f"{gap.text}（置信度{gap.confidence:.2f}）"


def csv_row(analysis: CallAnalysis) -> dict[str, str]:
    return {
        "call_id": analysis.call_id,
        "start_time": analysis.start.isoformat(),
        "caller_number": analysis.caller_number,
        "agent_id": analysis.agent_id,
        "outcome": OUTCOME_LABELS[analysis.outcome],
        "work_order_reasons": LIST_SEPARATOR.join(analysis.reasons),
        "department": analysis.department.name if analysis.department else "",
        "matters": LIST_SEPARATOR.join(r.name for r in analysis.matters),
        "policies": LIST_SEPARATOR.join(r.name for r in analysis.policies),
        "catalog_answer": " / ".join(r.answer for r in analysis.records),
        "summary": analysis.summary,
        "knowledge_gaps": " / ".join(_gap_text(g) for g in analysis.gaps),
    }


def write_csv(analyses: Sequence[CallAnalysis], path: Path) -> None:
    # utf-8-sig: the byte-order mark makes Excel read the file as UTF-8, not the local code page
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(csv_row(a) for a in analyses)


@dataclass(frozen=True)
class GapRow:
    call_id: str
    start: datetime
    question: Question


@dataclass(frozen=True)
class DepartmentOrders:
    """The work orders that go to one department (or to no department yet)."""

    department: str
    orders: list[CallAnalysis]

    @property
    def complaints(self) -> int:
        return sum(1 for a in self.orders if a.complaints)


@dataclass(frozen=True)
class BatchSummary:
    """What the report shows about a batch of calls."""

    calls: int
    first: datetime | None  # the earliest and latest call start, hall time
    last: datetime | None
    complaints: int  # calls with a complaint
    outcomes: list[tuple[str, int]]  # (label, calls), in OUTCOME_LABELS order
    top_records: list[tuple[str, int]]  # (record name, calls), most asked first
    work_orders_by_department: list[tuple[str, int]]
    hours: list[int]  # calls per hour of the day, hall time
    gaps: list[GapRow]
    orders_by_department: list[DepartmentOrders]  # in the order of work_orders_by_department

    @classmethod
    def of(cls, analyses: Sequence[CallAnalysis]) -> BatchSummary:
        outcomes = Counter(a.outcome for a in analyses)
        records = Counter(r.name for a in analyses for r in a.records if r.kind != "place")
        departments = Counter(
            a.department.short_name if a.department else UNASSIGNED for a in analyses if a.outcome == "work_order"
        )
        hours = [0] * 24
        for a in analyses:
            hours[a.start.hour] += 1
        gaps = [GapRow(a.call_id, a.start, g) for a in analyses for g in a.gaps]
        by_department: dict[str, list[CallAnalysis]] = {}
        for a in sorted(analyses, key=lambda a: a.start):
            if a.outcome == "work_order":
                name = a.department.short_name if a.department else UNASSIGNED
                by_department.setdefault(name, []).append(a)
        starts = [a.start.astimezone(HALL_TZ) for a in analyses]
        ranked = sorted(departments.items(), key=lambda item: (-item[1], item[0] == UNASSIGNED, item[0]))
        return cls(
            calls=len(analyses),
            first=min(starts, default=None),
            last=max(starts, default=None),
            complaints=sum(1 for a in analyses if a.complaints),
            outcomes=[(label, outcomes[key]) for key, label in OUTCOME_LABELS.items()],
            top_records=sorted(records.items(), key=lambda item: (-item[1], item[0]))[:TOP_RECORDS],
            # the unassigned last among equals: the chart is read for where work orders go
            work_orders_by_department=ranked,
            hours=hours,
            gaps=sorted(gaps, key=lambda g: g.question.confidence),
            orders_by_department=[DepartmentOrders(name, by_department[name]) for name, _ in ranked],
        )


_environment = Environment(
    loader=PackageLoader("knowledge.hotline", "templates"), autoescape=select_autoescape(["html"])
)


def render_html(
    analyses: Sequence[CallAnalysis],
    bad_lines: Sequence[BadLine],
    source: str,
    generated: datetime | None = None,
) -> str:
    summary = BatchSummary.of(analyses)
    chart_markup: dict[str, Markup] = {
        "top_records": charts.bar_chart("chart-top-matters", "咨询最多的事项和政策", summary.top_records),
        "outcomes": charts.donut("chart-outcomes", "知识库答复与转工单", summary.outcomes),
        "hours": charts.hour_histogram("chart-hours", "来电时段分布", summary.hours),
        "departments": charts.bar_chart(
            "chart-departments", "工单按部门", summary.work_orders_by_department, label_width=120
        ),
    }
    template = _environment.get_template("report.html")
    return template.render(
        source=source,
        generated=(generated or datetime.now(UTC)).astimezone(HALL_TZ),
        summary=summary,
        charts=chart_markup,
        analyses=analyses,
        bad_lines=bad_lines,
        outcome_labels=OUTCOME_LABELS,
        unassigned=UNASSIGNED,
    )


def write_html(analyses: Sequence[CallAnalysis], bad_lines: Sequence[BadLine], source: str, path: Path) -> None:
    path.write_text(render_html(analyses, bad_lines, source), encoding="utf-8")
