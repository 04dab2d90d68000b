"""Shortest routes on the sample hall and the Chinese words that describe them."""

from __future__ import annotations

import math

import pytest

from catalog.models import HallMap
from robot_bridge.geometry import Pose2D
from robot_bridge.routing import (
    HallGraph,
    UnknownWaypoint,
    relative_direction,
    round_distance,
    turn_phrase,
    window_text,
)


@pytest.mark.parametrize(
    ("bearing", "facing", "word"),
    [
        (90, 90, "前方"),
        (110, 90, "前方"),
        (135, 90, "左前方"),
        (180, 90, "左侧"),
        (225, 90, "左后方"),
        (270, 90, "后方"),
        (-90, 90, "后方"),
        (315, 90, "右后方"),
        (0, 90, "右侧"),
        (45, 90, "右前方"),
        # the map frame turns counter-clockwise: facing south, east is on the left
        (0, -90, "左侧"),
        (180, -90, "右侧"),
        (-180, 180, "前方"),
    ],
)
def test_relative_direction_eight_sectors(bearing: float, facing: float, word: str) -> None:
    assert relative_direction(bearing, facing) == word


def test_turn_phrases() -> None:
    assert turn_phrase(0, 10) == "继续直走"
    assert turn_phrase(0, 45) == "向左前方走"
    assert turn_phrase(0, -45) == "向右前方走"
    assert turn_phrase(90, 180) == "左转，走"
    assert turn_phrase(180, 90) == "右转，走"
    assert turn_phrase(0, 170) == "掉头，走"


@pytest.mark.parametrize(
    ("metres", "rounded"), [(0.4, 1), (6.4, 6), (9.6, 10), (22.4, 20), (23, 25), (78.4, 80), (104, 100)]
)
def test_distances_round_as_people_say_them(metres: float, rounded: int) -> None:
    assert round_distance(metres) == rounded


def test_window_text() -> None:
    assert window_text([16, 17, 18, 19]) == "16到19号窗口"
    assert window_text([20, 21]) == "20、21号窗口"
    assert window_text([47]) == "47号窗口"
    assert window_text([1, 2, 3, 7, 9, 10]) == "1到3、7、9、10号窗口"
    assert window_text([]) == ""


def test_dijkstra_finds_the_shortest_path(hall: HallMap) -> None:
    graph = HallGraph(hall)
    path, length = graph.shortest_path("wp-north-door", "wp-west-s")
    assert path[0] == "wp-north-door" and path[-1] == "wp-west-s"
    # via the north-west atrium corner, not down the middle: 8 + 10 + 13.93 + 20 + 22.67 m
    assert path == ["wp-north-door", "wp-atrium-n", "wp-atrium-nw", "wp-west-entry", "wp-west-c", "wp-west-s"]
    expected = 8 + 10 + math.hypot(5, 13) + 20 + math.hypot(17, 15)
    assert length == pytest.approx(expected)
    # every edge of the path exists, and no other path is shorter (check with a brute force)
    assert length <= _brute_force_shortest(graph, "wp-north-door", "wp-west-s") + 1e-9


def _brute_force_shortest(graph: HallGraph, start: str, goal: str) -> float:
    best = math.inf

    def walk(node: str, seen: set[str], cost: float) -> None:
        nonlocal best
        if cost >= best:
            return
        if node == goal:
            best = cost
            return
        for nxt, length in graph.neighbours[node].items():
            if nxt not in seen:
                walk(nxt, seen | {nxt}, cost + length)

    walk(start, {start}, 0.0)
    return best


def test_unknown_waypoint_is_refused(hall: HallMap) -> None:
    with pytest.raises(UnknownWaypoint):
        HallGraph(hall).shortest_path("wp-north-door", "wp-nowhere")


def test_route_from_the_north_screen_to_social_security(hall: HallMap) -> None:
    graph = HallGraph(hall)
    screen = next(s for s in hall.screens if s.id == "screen-north")
    place = next(p for p in hall.places if p.id == "sb-windows")
    route = graph.route(screen.pos.x, screen.pos.y, screen.waypoint, screen.facing, place)
    assert route.waypoints == ["wp-atrium-n", "wp-atrium-nw", "wp-west-entry", "wp-west-c", "wp-west-s"]
    assert (route.points[0].x, route.points[0].y) == (57.0, 43.0)
    assert (route.points[-1].x, route.points[-1].y) == (3.0, 16.12)
    legs = sum(
        math.dist((a.x, a.y), (b.x, b.y)) for a, b in zip(route.points, route.points[1:], strict=False)
    )
    assert route.distance_m == pytest.approx(legs, abs=0.05)
    # the screen faces south (-90); the west hall lies to the right and ahead
    assert route.direction == "右前方"
    assert route.summary == "社保窗口在您的右前方，步行约80米，16到19号窗口"
    assert route.steps[0] == "向左前方走约6米"
    assert route.steps[-1] == "到达社保窗口，在16到19号窗口办理"
    assert route.window_text == "16到19号窗口"


def test_route_words_depend_on_the_screen_facing(hall: HallMap) -> None:
    graph = HallGraph(hall)
    place = next(p for p in hall.places if p.id == "sb-windows")
    by_screen = {
        s.id: graph.route(s.pos.x, s.pos.y, s.waypoint, s.facing, place).direction for s in hall.screens
    }
    # west entry faces west (180): the social security windows are ahead;
    # east entry faces east (0): they are behind; south door faces north (90): to the left
    assert by_screen["screen-west"] == "前方"
    assert by_screen["screen-east"] == "后方"
    assert by_screen["screen-south"] == "左侧"


def test_tiny_first_hop_is_folded_into_the_first_step(hall: HallMap) -> None:
    graph = HallGraph(hall)
    screen = next(s for s in hall.screens if s.id == "screen-west")  # 2.2 m from its waypoint
    place = next(p for p in hall.places if p.id == "sb-windows")
    route = graph.route(screen.pos.x, screen.pos.y, screen.waypoint, screen.facing, place)
    assert route.steps[0] == "向前方走约20米"


def test_a_place_passed_on_the_way_is_not_overshot(hall: HallMap) -> None:
    # the consultation desk (y=28) lies between the atrium's north (y=38) and centre (y=25)
    graph = HallGraph(hall)
    screen = next(s for s in hall.screens if s.id == "screen-north")
    desk = next(p for p in hall.places if p.id == "consult-desk")
    route = graph.route(screen.pos.x, screen.pos.y, screen.waypoint, screen.facing, desk)
    assert route.waypoints == ["wp-atrium-n"]
    assert not any("掉头" in step for step in route.steps)
    assert route.direction == "前方"


def test_robot_goal_stops_short_of_the_counter_facing_it(hall: HallMap) -> None:
    graph = HallGraph(hall)
    robot = hall.robots[0]
    place = next(p for p in hall.places if p.id == "sb-windows")
    route = graph.route_from_pose(Pose2D(robot.home.x, robot.home.y, robot.home.theta), place)
    goal = route.goal_pose(1.0)
    assert math.dist((goal.x, goal.y), (3.0, 16.12)) == pytest.approx(1.0)
    last = route.points[-2]
    assert goal.theta == pytest.approx(math.atan2(16.12 - last.y, 3.0 - last.x))
    # the robot leaves its home facing south, the way the route starts
    assert route.steps[0].startswith("向前方走")
