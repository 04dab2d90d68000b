"""CSV and HTML outputs, from analyses made by hand (no search engine needed)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from catalog.loader import Catalog, load_catalog
from knowledge.hotline.analysis import COMPLAINT, OUTSIDE, CallAnalysis, Question, RecordAnswer
from knowledge.hotline.calls import HALL_TZ, BadLine
from knowledge.hotline.report import CSV_COLUMNS, BatchSummary, render_html, write_csv


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def analyses(catalog: Catalog) -> list[CallAnalysis]:
    cg = catalog.departments["cg"]
    licence = RecordAnswer("matter:cg-license-renewal", "matter", "机动车驾驶证期满换证", cg, ("材料5项", "即办"))
    gap = Question(2, "路灯坏了找谁修", "none", 0.12, None)

    def call(n: int, hour: int, **kwargs: object) -> CallAnalysis:
        values: dict[str, object] = dict(
            call_id=f"C-{n}",
            start=datetime(2026, 11, 2, hour, 5, tzinfo=HALL_TZ),
            caller_number="139****5678",
            agent_id="A01",
            caller_turns=2,
            records=[licence],
            questions=[Question(1, "驾照到期咋换", "answer", 0.93, licence)],
            complaints=[],
            human_requested=False,
            reasons=[],
            department=cg,
            summary="咨询机动车驾驶证期满换证；已按目录答复。",
            outcome="knowledge",
        )
        values.update(kwargs)
        return CallAnalysis(**values)  # type: ignore[arg-type]  # the fields are as above

    return [
        call(1, 8),
        call(2, 8),
        call(3, 22, records=[], questions=[gap], reasons=[OUTSIDE], department=None, outcome="work_order"),
        call(4, 9, complaints=["八号窗口不给办"], reasons=[COMPLAINT], outcome="work_order"),
    ]


def test_csv_has_a_bom_the_columns_and_a_row_per_call(tmp_path: Path, analyses: list[CallAnalysis]) -> None:
    path = tmp_path / "calls.csv"
    write_csv(analyses, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["call_id"] for r in rows] == ["C-1", "C-2", "C-3", "C-4"]
    first, third = rows[0], rows[2]
    assert first["matters"] == "机动车驾驶证期满换证" and first["policies"] == ""
    assert first["catalog_answer"] == "【机动车驾驶证期满换证】材料5项；即办"
    assert first["outcome"] == "知识库答复" and first["department"] == "长春市公安局交通警察支队车辆管理所"
    assert first["start_time"] == "2026-11-02T08:05:00+08:00"
    assert third["outcome"] == "转工单" and third["work_order_reasons"] == OUTSIDE and third["department"] == ""
    assert third["knowledge_gaps"] == "路灯坏了找谁修（置信度0.12）"


def test_summary_counts(analyses: list[CallAnalysis]) -> None:
    summary = BatchSummary.of(analyses)
    assert summary.calls == 4
    assert summary.outcomes == [("知识库答复", 2), ("转工单", 2), ("无具体诉求", 0)]
    assert summary.top_records == [("机动车驾驶证期满换证", 3)]
    assert summary.work_orders_by_department == [("车管", 1), ("待分派", 1)]
    assert summary.hours[8] == 2 and summary.hours[9] == 1 and summary.hours[22] == 1 and sum(summary.hours) == 4
    assert [g.call_id for g in summary.gaps] == ["C-3"]


def _counts(html: str, chart: str, css: str) -> list[int]:
    svg = re.search(rf'<svg id="{chart}".*?</svg>', html, re.S)
    assert svg, chart
    return [int(c) for c in re.findall(rf'class="{css}"[^>]*data-count="(\d+)"', svg.group(0))]


def test_html_holds_the_charts_with_the_right_counts(analyses: list[CallAnalysis]) -> None:
    html = render_html(analyses, [BadLine(7, "turns: must not be empty")], "calls.jsonl")
    hours = _counts(html, "chart-hours", "hour")
    assert len(hours) == 24 and hours[8] == 2 and hours[9] == 1 and hours[22] == 1 and sum(hours) == 4
    assert _counts(html, "chart-outcomes", "slice") == [2, 2]
    assert _counts(html, "chart-top-matters", "bar") == [3]
    assert _counts(html, "chart-departments", "bar") == [1, 1]
    gaps = re.search(r'<table id="gaps">.*?</table>', html, re.S)
    assert gaps and gaps.group(0).count("<tr>") == 2 and "路灯坏了找谁修" in gaps.group(0)
    assert '<li data-line="7">第7行：turns: must not be empty</li>' in html
    assert html.count('<tr class="') == 4


def test_html_is_self_contained(analyses: list[CallAnalysis]) -> None:
    html = render_html(analyses, [], "calls.jsonl")
    assert "<script" not in html and "<link" not in html and "src=" not in html and "@import" not in html
    assert re.findall(r"https?://[^\"' ]+", html) == ["http://www.w3.org/2000/svg"] * 4  # SVG namespaces only
    assert "没有无效行" in html


def test_the_report_states_the_dates_it_covers(analyses: list[CallAnalysis]) -> None:
    html = render_html(analyses, [], "calls.jsonl")
    line = re.search(r'<p class="meta" id="date-range">(.*?)</p>', html, re.S)
    assert line is not None
    # the calls run from 08:05 to 22:05 on 2 November, hall time
    assert line.group(1) == "覆盖来电：2026-11-02 08:05 至 2026-11-02 22:05（北京时间，共4通）"


def test_complaints_and_work_orders_are_listed_by_department(analyses: list[CallAnalysis]) -> None:
    summary = BatchSummary.of(analyses)
    assert summary.complaints == 1
    assert [(g.department, [a.call_id for a in g.orders], g.complaints) for g in summary.orders_by_department] == [
        ("车管", ["C-4"], 1),
        ("待分派", ["C-3"], 0),
    ]
    html = render_html(analyses, [], "calls.jsonl")
    section = re.search(r'<div id="orders">(.*?)</div>', html, re.S)
    assert section is not None
    assert "车管：工单1件，其中投诉1件" in section.group(1) and "八号窗口不给办" in section.group(1)
    assert "待分派：工单1件" in section.group(1)
    assert re.search(r'id="kpi-complaints">1<', html)


def test_a_gap_names_no_closest_catalog_item(catalog: Catalog, analyses: list[CallAnalysis]) -> None:
    # Regression: an out-of-catalog question came with a "closest catalog item", which was noise.
    cg = catalog.departments["cg"]
    unsure = RecordAnswer("matter:cg-license-renewal", "matter", "机动车驾驶证期满换证", cg, ("材料5项",))
    far = Question(1, "小区停车位怎么分", "none", 0.15, unsure)
    html = render_html([replace(analyses[2], questions=[far])], [], "calls.jsonl")
    gaps = re.search(r'<table id="gaps">(.*?)</table>', html, re.S)
    assert gaps is not None and "小区停车位怎么分" in gaps.group(1)
    assert "机动车驾驶证期满换证" not in gaps.group(1) and "最接近" not in gaps.group(1)
