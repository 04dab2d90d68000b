"""A simulated greeter robot: it drives along the hall's waypoint graph at walking speed.

Both the in-process driver and the rosbridge simulator server wrap this one class, so the
two `RobotDriver` implementations see the same robot. Faults can be injected: a blocked
path (the next goal is aborted part way), a slow start (motion begins late), and a lost
link (the robot keeps driving, but nobody can talk to it for a while).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from catalog.models import HallMap, Robot
from robot_bridge.geometry import Pose2D
from robot_bridge.routing import HallGraph

logger = logging.getLogger(__name__)

# action_msgs/GoalStatus values, as rosbridge reports them in action_result
STATUS_SUCCEEDED = 4
STATUS_CANCELED = 5
STATUS_ABORTED = 6

# nav2_msgs/action/NavigateToPose result error codes (Jazzy and later)
ERROR_NONE = 0
ERROR_UNKNOWN = 9000
ERROR_TF = 9002

WALKING_SPEED_MPS = 1.0
# Battery used per metre driven: a full charge lasts about eight hours of walking.
DRAIN_PER_M = 1.0 / (8 * 3600 * WALKING_SPEED_MPS)
# A blocked goal is aborted after this share of its path, where the robot then stands.
BLOCKED_AT = 0.3


@dataclass(frozen=True)
class SimResult:
    status: int
    error_code: int = ERROR_NONE
    error_msg: str = ""


FeedbackFn = Callable[[float, Pose2D], None]  # distance remaining (m), current pose
ResultFn = Callable[[SimResult], None]


@dataclass
class SimGoal:
    id: int
    target: Pose2D
    path: list[tuple[float, float]]
    on_feedback: FeedbackFn
    on_result: ResultFn
    started_at: float
    moving_from: float  # monotonic time when motion begins (slow start delays it)
    abort_after_m: float | None = None  # blocked: give up after this many metres
    travelled: float = 0.0
    segment: int = 0
    done: bool = False
    length: float = field(init=False)

    def __post_init__(self) -> None:
        self.length = sum(math.dist(a, b) for a, b in itertools.pairwise(self.path))


class SimRobot:
    """One simulated robot; `start()` runs its clock, `stop()` ends it."""

    def __init__(
        self,
        hall: HallMap,
        robot: Robot,
        *,
        speed_factor: float = 1.0,
        tick_s: float = 0.05,
        battery: float = 0.9,
    ) -> None:
        self.robot = robot
        self.graph = HallGraph(hall)
        self.speed_mps = WALKING_SPEED_MPS * speed_factor
        self.tick_s = tick_s
        self.pose = Pose2D(robot.home.x, robot.home.y, robot.home.theta)
        self.battery = battery
        self.link_up = True
        self.said: list[tuple[float, str]] = []
        self.goal: SimGoal | None = None
        self.block_next_goals = 0
        self.slow_start_s = 0.0
        self.slow_start_goals: int | None = None
        self._ids = itertools.count(1)
        self._link_listeners: list[Callable[[bool], None]] = []
        self._speech_listeners: list[Callable[[str], None]] = []
        self._task: asyncio.Task[None] | None = None
        self._restore: asyncio.TimerHandle | None = None

    @property
    def robot_id(self) -> str:
        return self.robot.id

    @property
    def moving(self) -> bool:
        return self.goal is not None and not self.goal.done

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"sim-{self.robot.id}")

    async def stop(self) -> None:
        if self._restore is not None:
            self._restore.cancel()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def on_link_change(self, listener: Callable[[bool], None]) -> None:
        self._link_listeners.append(listener)

    def on_speech(self, listener: Callable[[str], None]) -> None:
        self._speech_listeners.append(listener)

    def say(self, text: str) -> None:
        """Speak `text` (the simulator only records it)."""
        self.said.append((time.perf_counter(), text))
        logger.info("%s says: %s", self.robot.id, text)
        for listener in list(self._speech_listeners):
            listener(text)

    def send_goal(self, target: Pose2D, on_feedback: FeedbackFn, on_result: ResultFn) -> SimGoal:
        """Start driving to `target`; a goal still running is preempted (aborted)."""
        if self.goal is not None and not self.goal.done:
            self._finish(self.goal, SimResult(STATUS_ABORTED, ERROR_UNKNOWN, "preempted by a new goal"))
        now = time.monotonic()
        goal = SimGoal(
            id=next(self._ids),
            target=target,
            path=self._plan(target),
            on_feedback=on_feedback,
            on_result=on_result,
            started_at=now,
            moving_from=now + self.slow_start_s,
        )
        if self.slow_start_goals is not None:
            self.slow_start_goals -= 1
            if self.slow_start_goals <= 0:
                self.set_slow_start(0.0)
        if self.block_next_goals > 0:
            self.block_next_goals -= 1
            goal.abort_after_m = goal.length * BLOCKED_AT
        self.goal = goal
        return goal

    def cancel_goal(self, goal: SimGoal) -> bool:
        """Stop where the robot stands; False if the goal had already ended."""
        if goal.done:
            return False
        self._finish(goal, SimResult(STATUS_CANCELED, ERROR_NONE, "canceled"))
        return True

    # --- faults -------------------------------------------------------------------------

    def block_next(self, count: int = 1) -> None:
        """The next `count` goals find their path blocked and are aborted."""
        self.block_next_goals = count

    def set_slow_start(self, seconds: float, goals: int | None = None) -> None:
        """The next `goals` goals (None: all) start moving only after `seconds` (real time)."""
        self.slow_start_s = max(0.0, seconds)
        self.slow_start_goals = goals

    def drop_link(self, seconds: float | None = None) -> None:
        """Cut the link for `seconds` (None: until `restore_link`); the robot keeps driving."""
        if self._restore is not None:
            self._restore.cancel()
            self._restore = None
        if seconds is not None:
            self._restore = asyncio.get_running_loop().call_later(seconds, self.restore_link)
        self._set_link(False)

    def restore_link(self) -> None:
        self._restore = None
        self._set_link(True)

    def set_battery(self, level: float) -> None:
        self.battery = min(1.0, max(0.0, level))

    # --- internals ----------------------------------------------------------------------

    def _set_link(self, up: bool) -> None:
        if self.link_up == up:
            return
        self.link_up = up
        logger.info("%s link %s", self.robot.id, "up" if up else "down")
        for listener in list(self._link_listeners):
            listener(up)

    def _plan(self, target: Pose2D) -> list[tuple[float, float]]:
        start_wp = self.graph.nearest_waypoint(self.pose.x, self.pose.y)
        goal_wp = self.graph.nearest_waypoint(target.x, target.y)
        points = self.graph.polyline(self.pose.x, self.pose.y, start_wp, target.x, target.y, goal_wp)
        path = [(p.x, p.y) for p in points]
        # a robot next to its target does not detour via waypoints
        direct = math.dist(path[0], path[-1])
        if direct < 3.0:
            path = [path[0], path[-1]]
        return path

    def _finish(self, goal: SimGoal, result: SimResult) -> None:
        goal.done = True
        if self.goal is goal:
            self.goal = None
        goal.on_result(result)

    async def _run(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(self.tick_s)
            now = time.monotonic()
            dt, last = now - last, now
            goal = self.goal
            if goal is None or goal.done:
                continue
            try:
                self._advance(goal, now, dt)
            except Exception:  # a listener's bug must not stop the robot's clock
                logger.exception("simulated robot %s failed a tick", self.robot.id)

    def _advance(self, goal: SimGoal, now: float, dt: float) -> None:
        if now >= goal.moving_from:
            step = self.speed_mps * dt
            if goal.abort_after_m is not None:
                step = min(step, max(0.0, goal.abort_after_m - goal.travelled))
            self._move(goal, step)
        remaining = max(0.0, goal.length - goal.travelled)
        if goal.abort_after_m is not None and goal.travelled >= goal.abort_after_m - 1e-9:
            self._finish(goal, SimResult(STATUS_ABORTED, ERROR_UNKNOWN, "path blocked: no valid path found"))
            return
        if remaining <= 1e-6:
            self.pose = goal.target
            goal.on_feedback(0.0, self.pose)
            self._finish(goal, SimResult(STATUS_SUCCEEDED))
            return
        goal.on_feedback(remaining, self.pose)

    def _move(self, goal: SimGoal, step: float) -> None:
        moved = 0.0
        while step > 1e-9 and goal.segment < len(goal.path) - 1:
            (ax, ay), (bx, by) = goal.path[goal.segment], goal.path[goal.segment + 1]
            heading = math.atan2(by - ay, bx - ax) if (ax, ay) != (bx, by) else self.pose.theta
            left = math.hypot(bx - self.pose.x, by - self.pose.y)
            if step >= left:
                self.pose = Pose2D(bx, by, heading)
                goal.segment += 1
                step -= left
                moved += left
            else:
                self.pose = Pose2D(
                    self.pose.x + step * math.cos(heading), self.pose.y + step * math.sin(heading), heading
                )
                moved += step
                step = 0.0
        goal.travelled += moved
        self.battery = max(0.0, self.battery - moved * DRAIN_PER_M)
