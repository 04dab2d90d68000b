"""The bridge itself: robots, their drivers, screens, and guide requests.

`Bridge.start()` connects every robot (or has the injected simulators stand in for it) of the hall map; `request_guide`
decides who leads the visitor and which screens show the route, and answers honestly
when the robot asked for cannot go.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

from catalog.models import HallMap, Place, Robot, Screen
from robot_bridge.drivers import Backoff, RobotDriver
from robot_bridge.drivers.rosbridge import RosbridgeDriver
from robot_bridge.geometry import Pose2D
from robot_bridge.guide import REASON_TEXT, GuideOutcome, GuideTask, GuideTiming, RobotAgent
from robot_bridge.routing import HallGraph, Route
from robot_bridge.screens import ScreenHub, route_message
from robot_bridge.settings import Settings

logger = logging.getLogger(__name__)

RECENT_GUIDES = 200
# A robot this close to its home counts as at its door, so its own screen is the nearest.
AT_HOME_M = 5.0


class UnknownId(LookupError):
    """A destination, robot, screen or guide id that the bridge does not know."""

    def __init__(self, kind: str, value: str, known: list[str] | None = None) -> None:
        self.kind, self.value = kind, value
        hint = f"; known: {', '.join(known)}" if known is not None and len(known) <= 10 else ""
        super().__init__(f"unknown {kind} '{value}'{hint}")


class ConfigError(RuntimeError):
    """The settings do not fit the hall map."""


@dataclass
class ScreenDelivery:
    screen: Screen
    route: Route
    delivered: int


@dataclass
class GuidePlan:
    """What `request_guide` decided, for the API to render."""

    place: Place
    route: Route
    start: dict[str, Any]
    task: GuideTask | None
    robot: Robot | None
    robot_status: str  # dispatched, busy, offline, low_battery, error, not_requested
    message: str
    offer: Robot | None
    screens: list[ScreenDelivery]


class Simulators(Protocol):
    """Stand-ins for robots that have no real URL (robot_bridge.sim.SimFleet)."""

    async def start_robot(self, robot: Robot, backoff: Backoff) -> RobotDriver | str:
        """A driver for the simulated robot, or the rosbridge URL to dial it at."""
        ...

    async def stop(self) -> None: ...


class Bridge:
    """Everything the API serves, built from the settings and the hall map."""

    def __init__(self, settings: Settings, hall: HallMap, simulators: Simulators | None = None) -> None:
        self.settings = settings
        self.hall = hall
        self.graph = HallGraph(hall)
        self.places = {p.id: p for p in hall.places}
        self.robots = {r.id: r for r in hall.robots}
        self.screens = {s.id: s for s in hall.screens}
        self.hub = ScreenHub(list(self.screens))
        self.agents: dict[str, RobotAgent] = {}
        # simulated robots for those without a URL; injected by main.py (None: such robots are offline)
        self.simulators = simulators
        self.guides: OrderedDict[str, GuideTask] = OrderedDict()
        self._messages: OrderedDict[str, dict[str, dict[str, Any]]] = OrderedDict()  # guide -> screen -> route msg
        self._background: set[asyncio.Task[Any]] = set()

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        settings = self.settings
        urls = settings.robot_urls()
        unknown = sorted(set(urls) - set(self.robots))
        if unknown:
            raise ConfigError(
                f"ROBOT_BRIDGE_ROBOTS_URLS names unknown robots {unknown}; the map has {sorted(self.robots)}"
            )
        missing = [r for r in self.robots if r not in urls]
        if settings.mode == "real" and missing:
            raise ConfigError(
                f"ROBOT_BRIDGE_MODE=real but ROBOT_BRIDGE_ROBOTS_URLS has no URL for {', '.join(missing)}"
            )
        timing = GuideTiming(arrival_wait_s=settings.arrival_wait_s, nav_timeout_s=settings.nav_timeout_s)
        for robot in self.hall.robots:
            driver = await self._make_driver(robot, urls.get(robot.id))
            agent = RobotAgent(robot, self.places[robot.door], driver, timing, settings.min_battery)
            agent.listeners.append(self._on_guide_update)
            self.agents[robot.id] = agent
            await driver.start()

    async def stop(self) -> None:
        for agent in self.agents.values():
            await agent.stop()
            await agent.driver.stop()
        if self.simulators is not None:
            await self.simulators.stop()
        for task in list(self._background):
            task.cancel()

    def _backoff(self) -> Backoff:
        return Backoff(self.settings.reconnect_initial_s, self.settings.reconnect_max_s)

    async def _make_driver(self, robot: Robot, url: str | None) -> RobotDriver:
        settings = self.settings
        if url is None:
            if self.simulators is None:
                raise ConfigError(f"{robot.id} has no URL in ROBOT_BRIDGE_ROBOTS_URLS and no simulator was given")
            made = await self.simulators.start_robot(robot, self._backoff())
            if not isinstance(made, str):
                return made
            url = made
        return RosbridgeDriver(
            robot.id,
            url,
            self._backoff(),
            settings.ros_interfaces(),
            connect_timeout_s=settings.connect_timeout_s,
            ping_interval_s=settings.ping_interval_s,
        )

    # --- lookups ------------------------------------------------------------------------

    def place(self, place_id: str) -> Place:
        if place_id not in self.places:
            raise UnknownId("destination", place_id)
        return self.places[place_id]

    def robot(self, robot_id: str) -> Robot:
        if robot_id not in self.robots:
            raise UnknownId("robot", robot_id, sorted(self.robots))
        return self.robots[robot_id]

    def place_for_windows(self, hall: str, windows: list[int]) -> Place | None:
        """The window group of `hall` that holds all of `windows` (the smallest such), if any."""
        groups = [
            p
            for p in self.hall.places
            if p.kind == "window" and p.hall == hall and windows and set(windows) <= set(p.windows)
        ]
        return min(groups, key=lambda p: len(p.windows), default=None)

    def screen(self, screen_id: str) -> Screen:
        if screen_id not in self.screens:
            raise UnknownId("screen", screen_id, sorted(self.screens))
        return self.screens[screen_id]

    def guide(self, guide_id: str) -> GuideTask:
        if guide_id not in self.guides:
            raise UnknownId("guide", guide_id)
        return self.guides[guide_id]

    # --- guides -------------------------------------------------------------------------

    async def request_guide(
        self, destination: str, session_id: str, robot_id: str | None = None, screen_id: str | None = None
    ) -> GuidePlan:
        """Lead the visitor with the robot if it can go, and show the route on a screen."""
        place = self.place(destination)
        robot = self.robot(robot_id) if robot_id else None
        screen = self.screen(screen_id) if screen_id else None
        if robot is None and screen is None:
            raise ValueError("robot_id 或 screen_id 至少需要一个，才知道访客从哪里出发")

        task: GuideTask | None = None
        offer: Robot | None = None
        if robot is not None:
            agent = self.agents[robot.id]
            start_pose = agent.driver.status().pose or agent.home
            route = self.graph.route_from_pose(start_pose, place)
            start = {"kind": "robot", "id": robot.id, "x": start_pose.x, "y": start_pose.y}
            # check and start in one loop step: no other request can slip in between
            available, status = agent.availability()
            if available:
                screens = [screen or self._nearest_screen(start_pose, robot)]
                task = GuideTask(
                    robot.id,
                    place,
                    session_id,
                    route,
                    route.goal_pose(self.settings.standoff_m),
                    [s.id for s in screens],
                )
                agent.start_guide(task)
                status = "dispatched"
                self._remember(task)
            else:
                screens = [screen or self._nearest_screen(start_pose, robot)]
                offer = self._offer(exclude=robot.id, near=start_pose)
                agent.decline(place, status)
        else:
            assert screen is not None
            route = self.graph.route(screen.pos.x, screen.pos.y, screen.waypoint, screen.facing, place)
            start = {"kind": "screen", "id": screen.id, "x": screen.pos.x, "y": screen.pos.y}
            screens, status = [screen], "not_requested"

        message = self._message(place, route, robot, status, offer, screens)
        robot_info = self._robot_info(robot, status, offer, place)
        deliveries = await self._show_route(screens, place, task, robot_info)
        return GuidePlan(place, route, start, task, robot, status, message, offer, deliveries)

    async def cancel_guide(self, guide_id: str) -> GuideTask:
        task = self.guide(guide_id)
        return await self.agents[task.robot_id].cancel(guide_id)

    def _remember(self, task: GuideTask) -> None:
        self.guides[task.id] = task
        while len(self.guides) > RECENT_GUIDES:
            self.guides.popitem(last=False)

    def _nearest_screen(self, pose: Pose2D, robot: Robot | None) -> Screen:
        if robot is not None and pose.distance_to(robot.home.x, robot.home.y) <= AT_HOME_M:
            return self.screens[robot.screen]
        return min(self.screens.values(), key=lambda s: math.hypot(s.pos.x - pose.x, s.pos.y - pose.y))

    def _offer(self, exclude: str, near: Pose2D) -> Robot | None:
        """Another robot that could lead right now, the nearest first."""
        free = [a.robot for rid, a in self.agents.items() if rid != exclude and a.availability()[0]]
        return min(free, key=lambda r: near.distance_to(r.home.x, r.home.y), default=None)

    def _message(
        self,
        place: Place,
        route: Route,
        robot: Robot | None,
        status: str,
        offer: Robot | None,
        screens: list[Screen],
    ) -> str:
        """One short sentence set for the visitor, speakable by a robot."""
        if status == "dispatched":
            where = f"，在{route.window_text}办理" if route.window_text else ""
            return f"请跟我来，我带您去{place.name}{where}。"
        shown = f"路线已显示在{screens[0].name}上。"
        if robot is None:
            return f"{route.summary}。{shown}"
        why = REASON_TEXT.get(status, "暂时不能带路")
        text = f"抱歉，{robot.name}{why}，暂时不能带您过去。{route.summary}。{shown}"
        if offer is not None:
            text += f"{offer.name}现在空闲，也可以请它带路。"
        return text

    def _robot_info(self, robot: Robot | None, status: str, offer: Robot | None, place: Place) -> dict[str, Any] | None:
        if robot is None:
            return None
        if status == "dispatched":
            text = f"{robot.name}正在带您前往{place.name}"
        else:
            text = f"{robot.name}{REASON_TEXT.get(status, '暂时不能带路')}，请按路线前往"
            if offer is not None:
                text += f"；{offer.name}现在空闲"
        return {"id": robot.id, "name": robot.name, "status": status, "text": text}

    async def _show_route(
        self, screens: list[Screen], place: Place, task: GuideTask | None, robot_info: dict[str, Any] | None
    ) -> list[ScreenDelivery]:
        deliveries: list[ScreenDelivery] = []
        clear = self.settings.screen_clear_s
        for screen in screens:
            route = self.graph.route(screen.pos.x, screen.pos.y, screen.waypoint, screen.facing, place)
            message = route_message(screen, route, task.id if task else None, robot_info, clear)
            delivered = await self.hub.show(screen.id, message)
            deliveries.append(ScreenDelivery(screen, route, delivered))
            if task is not None:
                self._messages.setdefault(task.id, {})[screen.id] = message
        while len(self._messages) > RECENT_GUIDES:
            self._messages.popitem(last=False)
        return deliveries

    def _on_guide_update(self, task: GuideTask, text: str) -> None:
        """Tell the task's screens what the robot is doing; re-show the route when it gave up."""
        # Arrived or cancelled: the route is over, so a kiosk that (re)loads must not replay it.
        over = task.outcome in (GuideOutcome.arrived, GuideOutcome.cancelled)
        gave_up = task.outcome is not None and not over
        for screen_id in task.screen_ids:
            if over:
                self.hub.forget(screen_id, task.id)
            message: dict[str, Any] = {
                "type": "guide_status",
                "guide_id": task.id,
                "robot_id": task.robot_id,
                "phase": task.phase.value,
                "outcome": task.outcome.value if task.outcome else None,
                "text": text,
                "sent_at": time.time(),
            }
            keep = False
            route = self._messages.get(task.id, {}).get(screen_id)
            if gave_up and route is not None:
                # the visitor now walks alone: the route comes back with a fresh timer
                robot = dict(route.get("robot") or {}, status=task.outcome.value if task.outcome else "", text=text)
                message = {**route, "robot": robot, "sent_at": time.time()}
                keep = True
            self._spawn(self.hub.show(screen_id, message, keep=keep))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
