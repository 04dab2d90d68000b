"""The inline SVG charts: one element per datum, counts carried as data attributes."""

from __future__ import annotations

import re

import pytest

from knowledge.hotline.charts import bar_chart, donut, hour_histogram


def _elements(svg: str, tag: str, css: str) -> list[str]:
    return re.findall(rf'<{tag} class="{css}"[^>]*>', svg)


def _attribute(element: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]+)"', element)
    assert match, (element, name)
    return match.group(1)


def _count(element: str) -> int:
    return int(_attribute(element, "data-count"))


def test_bar_chart_has_one_bar_per_item_longest_for_the_most() -> None:
    svg = bar_chart("c", "标题", [("机动车驾驶证期满换证", 3), ("普通护照签发", 1)])
    bars = _elements(svg, "rect", "bar")
    assert [_count(b) for b in bars] == [3, 1]
    widths = [float(_attribute(b, "width")) for b in bars]
    assert widths[0] == 3 * widths[1]
    assert svg.startswith('<svg id="c"') and "<title>标题</title>" in svg


def test_bar_chart_without_data_says_so() -> None:
    svg = bar_chart("c", "标题", [])
    assert _elements(svg, "rect", "bar") == [] and "暂无数据" in svg


def test_labels_are_escaped() -> None:
    svg = bar_chart("c", "<b>", [("<script>alert(1)</script>", 1)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_donut_has_a_slice_per_non_empty_share() -> None:
    svg = donut("d", "结果", [("知识库答复", 6), ("转工单", 2), ("无具体诉求", 0)])
    slices = _elements(svg, "circle", "slice")
    assert [_count(s) for s in slices] == [6, 2]
    assert "75%" in svg and "25%" in svg
    # the arcs add up to the whole ring
    arcs = [float(_attribute(s, "stroke-dasharray").split()[0]) for s in slices]
    assert sum(arcs) == pytest.approx(2 * 3.14159265 * 70, rel=1e-3)


def test_hour_histogram_has_24_bars() -> None:
    counts = [0] * 24
    counts[9], counts[14] = 5, 2
    svg = hour_histogram("h", "时段", counts)
    bars = _elements(svg, "rect", "hour")
    assert len(bars) == 24
    assert {int(_attribute(b, "data-hour")): _count(b) for b in bars} == dict(enumerate(counts))
    with pytest.raises(ValueError):
        hour_histogram("h", "时段", [1, 2])
