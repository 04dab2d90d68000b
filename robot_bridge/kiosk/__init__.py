"""The kiosk page of a guide screen: one self-contained HTML file with an inline SVG map.

The map is drawn from the hall map data and turned so that the way a visitor faces while
reading the screen points up: then "左前方" on the screen is up and to the left on
the map. Labels are turned back so they stay upright.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from catalog.models import HallMap, Screen

PAGE = Path(__file__).with_name("page.html")
MARGIN_M = 4.0
SVG_NS = "http://www.w3.org/2000/svg"


class MapFrame:
    """Map metres to SVG user units (y flipped), turned about the map's centre."""

    def __init__(self, hall: HallMap, facing_deg: float) -> None:
        self.width, self.depth = hall.width_m, hall.depth_m
        self.rotation = ((facing_deg - 90.0 + 180.0) % 360.0) - 180.0  # SVG degrees, clockwise
        self.cx, self.cy = self.width / 2.0, self.depth / 2.0

    def svg(self, x: float, y: float) -> tuple[float, float]:
        return x, self.depth - y

    def on_screen(self, x: float, y: float) -> tuple[float, float]:
        """Where the map point lands after the turn (SVG units)."""
        sx, sy = self.svg(x, y)
        a = math.radians(self.rotation)
        dx, dy = sx - self.cx, sy - self.cy
        return self.cx + dx * math.cos(a) - dy * math.sin(a), self.cy + dx * math.sin(a) + dy * math.cos(a)

    def view_box(self) -> tuple[float, float, float, float]:
        corners = [self.on_screen(x, y) for x in (0.0, self.width) for y in (0.0, self.depth)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return (
            min(xs) - MARGIN_M,
            min(ys) - MARGIN_M,
            max(xs) - min(xs) + 2 * MARGIN_M,
            max(ys) - min(ys) + 2 * MARGIN_M,
        )


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _el(tag: str, text: str | None = None, /, **attrs: object) -> str:
    """One SVG element; attribute names use _ for - (text_anchor -> text-anchor)."""
    rendered = " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{html.escape(_fmt(v) if isinstance(v, float) else str(v))}"'
        for name, v in attrs.items()
    )
    if text is None:
        return f"<{tag} {rendered}/>"
    return f"<{tag} {rendered}>{html.escape(text)}</{tag}>"


class Labels:
    """Upright text on top of the turned map, nudged down the screen so labels do not collide."""

    def __init__(self, frame: MapFrame) -> None:
        self.frame = frame
        self.items: list[str] = []
        self.boxes: list[tuple[float, float, float, float]] = []

    def add(
        self,
        x: float,
        y: float,
        text: str,
        cls: str,
        size: float,
        anchor: str = "middle",
        dx: float = 0.0,
        dy: float = 0.0,
        avoid: bool = True,
        nudge: float = 1.0,
    ) -> None:
        sx, sy = self.frame.on_screen(x, y)
        sx, sy = sx + dx, sy + dy
        # CJK glyphs are about one em wide, digits about half
        width = sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)
        left = {"start": sx, "middle": sx - width / 2, "end": sx - width}[anchor]
        for _ in range(4):
            box = (left, sy - size / 2, left + width, sy + size / 2)
            if not avoid or not any(_overlap(box, other) for other in self.boxes):
                break
            sy += nudge * size * 1.15
        self.boxes.append(box)
        self.items.append(_el("text", text, class_=cls, x=sx, y=sy, text_anchor=anchor, dominant_baseline="middle"))


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def map_svg(hall: HallMap, screen: Screen) -> str:
    """The hall map as inline SVG, turned for `screen`, with an empty route layer."""
    frame = MapFrame(hall, screen.facing)
    labels = Labels(frame)
    vb = " ".join(_fmt(v) for v in frame.view_box())
    turn = f"rotate({_fmt(frame.rotation)} {_fmt(frame.cx)} {_fmt(frame.cy)})"
    parts: list[str] = [
        f'<svg xmlns="{SVG_NS}" id="hall-map" viewBox="{vb}" role="img" aria-label="{html.escape(hall.name)}平面图">',
        f'<g id="map-turn" transform="{turn}">',
        _el("rect", class_="floor", x=0.0, y=0.0, width=hall.width_m, height=hall.depth_m, rx=1.5),
    ]
    coords = {w.id: w for w in hall.waypoints}
    parts.append('<g class="corridors">')
    for a, b in hall.edges:
        (ax, ay), (bx, by) = frame.svg(coords[a].x, coords[a].y), frame.svg(coords[b].x, coords[b].y)
        parts.append(_el("line", x1=ax, y1=ay, x2=bx, y2=by))
    parts.append("</g>")

    parts.append('<g class="windows">')
    for window in hall.windows:
        sx, sy = frame.svg(window.pos.x, window.pos.y)
        parts.append(_el("rect", data_window=window.number, x=sx - 0.8, y=sy - 0.8, width=1.6, height=1.6, rx=0.2))
        labels.add(window.pos.x, window.pos.y, str(window.number), "window-no", 1.15, avoid=False)
    parts.append("</g>")

    # "you are here" first, so other labels make way for it
    labels.add(screen.pos.x, screen.pos.y, "您在这里", "here-label", 2.4, dy=3.6)
    for place in hall.places:
        if place.kind == "hall":
            continue
        sx, sy = frame.svg(place.pos.x, place.pos.y)
        by_wall = place.pos.x < 6 or place.pos.x > hall.width_m - 6
        if place.kind == "window" and place.windows and by_wall:
            # a window group: its name beside its windows, reading away from the wall
            wx, wy = frame.on_screen(place.pos.x, place.pos.y)
            ix, iy = frame.cx - wx, frame.cy - wy  # towards the middle of the map, on screen
            if abs(ix) >= abs(iy):  # a wall at the left or right of the screen
                anchor, dx = ("start", 1.6) if ix > 0 else ("end", -1.6)
                labels.add(place.pos.x, place.pos.y, place.name, "group-label", 2.2, anchor, dx=dx)
            else:  # a wall at the top or bottom: stack inward
                inward = math.copysign(1.0, iy)
                labels.add(place.pos.x, place.pos.y, place.name, "group-label", 2.2, dy=2.4 * inward, nudge=inward)
            continue
        parts.append(f'<g class="place {place.kind}" data-place="{place.id}">')
        parts.append(_el("circle", cx=sx, cy=sy, r=0.9))
        parts.append("</g>")
        labels.add(place.pos.x, place.pos.y, place.name, "place-label", 1.9, dy=2.4)
    hall_labels = Labels(frame)  # large and faint, behind the rest: no need to make way
    for place in hall.places:
        if place.kind == "hall":
            hall_labels.add(place.pos.x, place.pos.y, place.name, "hall-label", 4.0, avoid=False)

    for other in hall.screens:
        if other.id != screen.id:
            sx, sy = frame.svg(other.pos.x, other.pos.y)
            parts.append(_el("rect", class_="screen-icon", x=sx - 0.9, y=sy - 0.6, width=1.8, height=1.2, rx=0.2))
    for robot in hall.robots:
        sx, sy = frame.svg(robot.home.x, robot.home.y)
        parts.append(_el("circle", class_="robot-home", data_robot=robot.id, cx=sx, cy=sy, r=1.1))

    parts.append('<g id="route-layer"></g>')
    # "you are here", its arrow along the facing (which the turn makes point up)
    sx, sy = frame.svg(screen.pos.x, screen.pos.y)
    heading = math.radians(screen.facing)
    tip = (sx + 3.2 * math.cos(heading), sy - 3.2 * math.sin(heading))
    left = (sx + 1.3 * math.cos(heading + 2.5), sy - 1.3 * math.sin(heading + 2.5))
    right = (sx + 1.3 * math.cos(heading - 2.5), sy - 1.3 * math.sin(heading - 2.5))
    arrow = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in (tip, left, right))
    parts.append('<g id="you-are-here">')
    parts.append(_el("circle", class_="here-pulse", cx=sx, cy=sy, r=2.4))
    parts.append(_el("polygon", class_="here-arrow", points=arrow))
    parts.append(_el("circle", class_="here-dot", cx=sx, cy=sy, r=1.1))
    parts.append("</g>")
    parts.append("</g>")
    parts.append('<g class="hall-labels">' + "".join(hall_labels.items) + "</g>")
    parts.append('<g class="labels">' + "".join(labels.items) + "</g>")
    parts.append('<g id="route-labels"></g>')

    # a compass: its arrow points to map north
    x0, y0, _, _ = frame.view_box()
    place_compass = f"translate({_fmt(x0 + 4.0)} {_fmt(y0 + 4.5)})"
    parts.append(f'<g class="compass" transform="{place_compass}">')
    parts.append(_el("polygon", points="0,-3 1.2,1 0,0.2 -1.2,1", transform=f"rotate({_fmt(frame.rotation)})"))
    parts.append(_el("text", "北", x=3.2, y=0.0, dominant_baseline="middle"))
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def page_config(hall: HallMap, screen: Screen, clear_after_s: float) -> dict[str, Any]:
    frame = MapFrame(hall, screen.facing)
    quick = [
        {"id": p.id, "name": p.name}
        for p in hall.places
        if (p.kind == "window" and p.windows) or p.kind in ("desk", "facility")
    ]
    _, _, view_w, view_h = frame.view_box()
    return {
        "screen_id": screen.id,
        "map_aspect": view_w / view_h,
        "screen_name": screen.name,
        "hall_name": hall.name,
        "facing": screen.facing,
        "depth": hall.depth_m,
        "rotation": frame.rotation,
        "cx": frame.cx,
        "cy": frame.cy,
        "clear_after_s": clear_after_s,
        "quick": quick,
    }


def render_page(hall: HallMap, screen: Screen, clear_after_s: float) -> str:
    """The kiosk page for `screen`, ready to serve."""
    config = json.dumps(page_config(hall, screen, clear_after_s), ensure_ascii=False).replace("</", "<\\/")
    page = PAGE.read_text(encoding="utf-8")
    return (
        page.replace("{{TITLE}}", html.escape(f"{screen.name} · {hall.name}"))
        .replace("{{SCREEN_NAME}}", html.escape(screen.name))
        .replace("{{MAP}}", map_svg(hall, screen))
        .replace("/*{{CONFIG}}*/null", config)
    )
