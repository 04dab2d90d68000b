"""Charts as inline SVG: the report must open offline, so no chart library and no script."""

from __future__ import annotations

import math
from html import escape

from markupsafe import Markup

PALETTE = ("#2b6cb0", "#dd6b20", "#718096", "#38a169", "#805ad5", "#d53f8c")


def _svg(chart_id: str, title: str, width: int, height: int, body: list[str]) -> Markup:
    head = (
        f'<svg id="{escape(chart_id)}" class="chart" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")


def bar_chart(chart_id: str, title: str, items: list[tuple[str, int]], label_width: int = 230) -> Markup:
    """Horizontal bars, one `rect.bar` per item, longest first as given."""
    row, bar_room = 26, 300
    width, height = label_width + bar_room + 50, max(row * len(items), row) + 10
    top = max((count for _, count in items), default=0) or 1
    body: list[str] = []
    if not items:
        body.append('<text x="10" y="20" class="empty">暂无数据</text>')
    for i, (label, count) in enumerate(items):
        y = 5 + i * row
        length = max(round(bar_room * count / top), 1)
        body.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" class="label">{escape(label)}</text>'
            f'<rect class="bar" x="{label_width}" y="{y + 4}" width="{length}" height="{row - 8}" '
            f'fill="{PALETTE[0]}" data-label="{escape(label)}" data-count="{count}">'
            f"<title>{escape(label)}：{count}</title></rect>"
            f'<text x="{label_width + length + 6}" y="{y + 17}" class="value">{count}</text>'
        )
    return _svg(chart_id, title, width, height, body)


def donut(chart_id: str, title: str, items: list[tuple[str, int]]) -> Markup:
    """Shares of a whole as a ring, one `circle.slice` per item with a count above zero."""
    radius, stroke, centre = 70, 34, 110
    circumference = 2 * math.pi * radius
    total = sum(count for _, count in items)
    body = [f'<circle cx="{centre}" cy="{centre}" r="{radius}" fill="none" stroke="#edf2f7" stroke-width="{stroke}"/>']
    offset = 0.0
    legend_y = 30
    for i, (label, count) in enumerate(items):
        if count <= 0:
            continue
        colour = PALETTE[i % len(PALETTE)]
        length = circumference * count / total
        share = f"{100 * count / total:.0f}%"
        # stroke-dasharray draws one arc of the ring; rotate so the first slice starts at the top
        body.append(
            f'<circle class="slice" cx="{centre}" cy="{centre}" r="{radius}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke}" stroke-dasharray="{length:.2f} {circumference - length:.2f}" '
            f'stroke-dashoffset="{-offset:.2f}" transform="rotate(-90 {centre} {centre})" '
            f'data-label="{escape(label)}" data-count="{count}"><title>{escape(label)}：{count}（{share}）</title>'
            "</circle>"
            f'<rect x="240" y="{legend_y - 11}" width="12" height="12" fill="{colour}"/>'
            f'<text x="258" y="{legend_y}" class="label">{escape(label)}：{count}（{share}）</text>'
        )
        offset += length
        legend_y += 24
    body.append(f'<text x="{centre}" y="{centre + 6}" text-anchor="middle" class="total">{total}</text>')
    return _svg(chart_id, title, 460, 2 * centre, body)


def hour_histogram(chart_id: str, title: str, counts: list[int]) -> Markup:
    """Calls per hour of the day: 24 `rect.hour` bars, empty hours at zero height."""
    if len(counts) != 24:
        raise ValueError("need one count per hour (24)")
    column, chart_height, left, bottom, top_margin = 24, 150, 30, 30, 20
    top = max(counts) or 1
    body: list[str] = []
    for hour, count in enumerate(counts):
        height = round(chart_height * count / top)
        x = left + hour * column
        y = top_margin + chart_height - height
        body.append(
            f'<rect class="hour" x="{x + 3}" y="{y}" width="{column - 6}" height="{height}" fill="{PALETTE[0]}" '
            f'data-hour="{hour}" data-count="{count}"><title>{hour}时：{count}</title></rect>'
        )
        if count:
            body.append(f'<text x="{x + column / 2}" y="{y - 3}" text-anchor="middle" class="value">{count}</text>')
        if hour % 3 == 0:
            body.append(
                f'<text x="{x + column / 2}" y="{top_margin + chart_height + 18}" text-anchor="middle" class="label">'
                f"{hour}时</text>"
            )
    return _svg(chart_id, title, left + 24 * column + 10, top_margin + chart_height + bottom, body)
