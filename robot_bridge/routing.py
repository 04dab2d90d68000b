"""Shortest routes on the hall's waypoint graph, and how to say them in Chinese.

A route runs from where the visitor stands (a screen or a robot) to that spot's waypoint,
along the shortest path of the waypoint graph (Dijkstra, metres) to the destination's
waypoint, and on to the destination itself. Directions are told relative to the way
the visitor faces: a screen's `facing`, or the robot's heading.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from catalog.models import HallMap, Place
from robot_bridge.geometry import Pose2D, bearing_deg, normalize_deg

# Eight 45-degree sectors, counter-clockwise from straight ahead (the map frame turns
# counter-clockwise, so a positive relative angle is to the visitor's left).
SECTORS = ("前方", "左前方", "左侧", "左后方", "后方", "右后方", "右侧", "右前方")

# Legs shorter than this are folded into the next one: nobody needs "walk 1 m" spelled out.
MIN_LEG_M = 3.0
# Consecutive legs whose headings differ less than this read as one straight stretch.
STRAIGHT_DEG = 15.0
# A first or last waypoint that makes the walker turn back by more than this is skipped:
# the place lies on the way (the desk between two atrium waypoints), so walk straight there.
BACKTRACK_DEG = 150.0


class UnknownWaypoint(KeyError):
    """A waypoint id that is not on the map."""


@dataclass(frozen=True)
class RoutePoint:
    x: float
    y: float
    waypoint: str | None = None  # None for the start and destination positions


@dataclass(frozen=True)
class Route:
    """A walkable route with its words; the start faces `facing_deg` (map frame)."""

    place: Place
    points: tuple[RoutePoint, ...]
    distance_m: float
    facing_deg: float
    direction: str  # where the destination lies, seen from the start
    first_turn_deg: float  # the first leg, seen from the start: 0 straight ahead, 90 left, -90 right
    steps: tuple[str, ...]
    summary: str
    windows: tuple[int, ...]
    window_text: str

    @property
    def waypoints(self) -> list[str]:
        return [p.waypoint for p in self.points if p.waypoint is not None]

    def goal_pose(self, standoff_m: float) -> Pose2D:
        """Where a robot stops: `standoff_m` short of the place on the last leg, facing it."""
        end = self.points[-1]
        for before in reversed(self.points[:-1]):
            length = math.hypot(end.x - before.x, end.y - before.y)
            if length > 1e-6:
                theta = math.atan2(end.y - before.y, end.x - before.x)
                back = min(standoff_m, length / 2.0)
                return Pose2D(end.x - back * math.cos(theta), end.y - back * math.sin(theta), theta)
        return Pose2D(end.x, end.y, 0.0)


def relative_direction(bearing: float, facing: float) -> str:
    """One of eight direction words for `bearing` seen by someone facing `facing` (degrees)."""
    relative = normalize_deg(bearing - facing)
    index = int(math.floor((relative + 22.5) / 45.0)) % 8
    return SECTORS[index]


def turn_phrase(previous: float, current: float) -> str:
    """How to go on from heading `previous` to heading `current` (degrees)."""
    turn = normalize_deg(current - previous)
    side = "左" if turn > 0 else "右"
    if abs(turn) < 25.0:
        return "继续直走"
    if abs(turn) < 65.0:
        return f"向{side}前方走"
    if abs(turn) <= 135.0:
        return f"{side}转，走"
    return "掉头，走"


def _turns_back(a: RoutePoint, b: RoutePoint, c: RoutePoint) -> bool:
    """Whether going a -> b -> c doubles back at b."""
    if math.hypot(b.x - a.x, b.y - a.y) < 1e-6 or math.hypot(c.x - b.x, c.y - b.y) < 1e-6:
        return False
    turn = normalize_deg(bearing_deg(b.x, b.y, c.x, c.y) - bearing_deg(a.x, a.y, b.x, b.y))
    return abs(turn) > BACKTRACK_DEG


def round_distance(metres: float) -> int:
    """Metres as people say them: to 1 m under 10 m, to 5 m under 100 m, else to 10 m."""
    if metres < 10.0:
        return max(1, round(metres))
    if metres < 100.0:
        return int(5 * round(metres / 5.0))
    return int(10 * round(metres / 10.0))


def distance_text(metres: float) -> str:
    return f"约{round_distance(metres)}米"


def window_text(numbers: list[int] | tuple[int, ...]) -> str:
    """Window numbers in words: 16到19号窗口, 20、21号窗口, 47号窗口; '' for none."""
    if not numbers:
        return ""
    ordered = sorted(set(numbers))
    runs: list[list[int]] = [[ordered[0]]]
    for number in ordered[1:]:
        if number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}到{run[-1]}")
        else:
            parts.extend(str(n) for n in run)
    return "、".join(parts) + "号窗口"


class HallGraph:
    """The waypoint graph of one hall map, for shortest routes in metres."""

    def __init__(self, hall: HallMap) -> None:
        self.hall = hall
        self.coords: dict[str, tuple[float, float]] = {w.id: (w.x, w.y) for w in hall.waypoints}
        self.neighbours: dict[str, dict[str, float]] = {w: {} for w in self.coords}
        for a, b in hall.edges:
            (ax, ay), (bx, by) = self.coords[a], self.coords[b]
            length = math.hypot(bx - ax, by - ay)
            self.neighbours[a][b] = length
            self.neighbours[b][a] = length

    def nearest_waypoint(self, x: float, y: float) -> str:
        return min(self.coords, key=lambda w: math.hypot(self.coords[w][0] - x, self.coords[w][1] - y))

    def shortest_path(self, start: str, goal: str) -> tuple[list[str], float]:
        """Dijkstra from `start` to `goal`: the waypoint ids and the length in metres."""
        for waypoint in (start, goal):
            if waypoint not in self.coords:
                raise UnknownWaypoint(waypoint)
        best: dict[str, float] = {start: 0.0}
        previous: dict[str, str] = {}
        queue: list[tuple[float, str]] = [(0.0, start)]
        done: set[str] = set()
        while queue:
            cost, node = heapq.heappop(queue)
            if node in done:
                continue
            if node == goal:
                break
            done.add(node)
            for nxt, length in self.neighbours[node].items():
                candidate = cost + length
                if candidate < best.get(nxt, math.inf):
                    best[nxt] = candidate
                    previous[nxt] = node
                    heapq.heappush(queue, (candidate, nxt))
        if goal not in best:
            raise UnknownWaypoint(f"{goal} is not reachable from {start}")
        path = [goal]
        while path[-1] != start:
            path.append(previous[path[-1]])
        path.reverse()
        return path, best[goal]

    def polyline(
        self, x0: float, y0: float, start_waypoint: str, x1: float, y1: float, goal_waypoint: str
    ) -> list[RoutePoint]:
        """Start position, the shortest waypoint path, then the end position."""
        path, _ = self.shortest_path(start_waypoint, goal_waypoint)
        points = [RoutePoint(x0, y0)]
        points += [RoutePoint(*self.coords[w], waypoint=w) for w in path]
        points.append(RoutePoint(x1, y1))
        for index in (len(points) - 2, 1):
            if len(points) > 3 and _turns_back(points[index - 1], points[index], points[index + 1]):
                del points[index]
        return points

    def route(self, x: float, y: float, start_waypoint: str, facing_deg: float, place: Place) -> Route:
        """The route from (x, y), standing at `start_waypoint` and facing `facing_deg`, to `place`."""
        points = self.polyline(x, y, start_waypoint, place.pos.x, place.pos.y, place.waypoint)
        distance = sum(math.hypot(b.x - a.x, b.y - a.y) for a, b in zip(points, points[1:], strict=False))
        direction = relative_direction(bearing_deg(x, y, place.pos.x, place.pos.y), facing_deg)
        windows = tuple(place.windows)
        wtext = window_text(windows)
        legs = self._legs(points)
        steps = self._steps(legs, facing_deg, place, wtext)
        first_turn = normalize_deg(legs[0][0] - facing_deg) if legs else 0.0
        if distance < 3.0:
            summary = f"{place.name}就在您{direction}"
        else:
            summary = f"{place.name}在您的{direction}，步行{distance_text(distance)}"
        if wtext:
            summary += f"，{wtext}"
        return Route(
            place=place,
            points=tuple(points),
            distance_m=round(distance, 1),
            facing_deg=facing_deg,
            direction=direction,
            first_turn_deg=round(first_turn, 1),
            steps=tuple(steps),
            summary=summary,
            windows=windows,
            window_text=wtext,
        )

    def route_from_pose(self, pose: Pose2D, place: Place) -> Route:
        """The route a robot standing at `pose` takes to `place`."""
        return self.route(pose.x, pose.y, self.nearest_waypoint(pose.x, pose.y), math.degrees(pose.theta), place)

    @staticmethod
    def _legs(points: list[RoutePoint]) -> list[tuple[float, float]]:
        """The walk as (heading in degrees, length in metres), too-short bits folded into the next."""
        legs: list[tuple[float, float]] = []  # (heading in degrees, length in metres)
        carry = 0.0
        for a, b in zip(points, points[1:], strict=False):
            length = math.hypot(b.x - a.x, b.y - a.y)
            if length < 1e-6:
                continue
            heading = bearing_deg(a.x, a.y, b.x, b.y)
            if legs and abs(normalize_deg(heading - legs[-1][0])) < STRAIGHT_DEG:
                legs[-1] = (legs[-1][0], legs[-1][1] + length)
            elif length + carry < MIN_LEG_M and b is not points[-1]:
                carry += length  # too short to mention: walked as part of the next leg
            else:
                legs.append((heading, length + carry))
                carry = 0.0
        if carry and legs:
            legs[-1] = (legs[-1][0], legs[-1][1] + carry)
        return legs

    @staticmethod
    def _steps(legs: list[tuple[float, float]], facing: float, place: Place, wtext: str) -> list[str]:
        steps: list[str] = []
        for index, (heading, length) in enumerate(legs):
            if index == 0:
                steps.append(f"向{relative_direction(heading, facing)}走{distance_text(length)}")
            else:
                steps.append(f"{turn_phrase(legs[index - 1][0], heading)}{distance_text(length)}")
        arrive = f"到达{place.name}"
        steps.append(f"{arrive}，在{wtext}办理" if wtext else arrive)
        return steps
