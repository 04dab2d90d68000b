"""One robot's guide lifecycle: lead, announce, wait, go home, and what can go wrong.

A guide runs: say "请跟我来", drive to the destination, announce it with its windows,
wait a moment, drive back to the home pose at the robot's door. One guide at a time per
robot. A goal that fails or times out is reported and the robot goes home; a lost link
ends the guide (the visitor still has the route on a screen) and, once the link is back,
the robot is sent home. Everything is recorded as events, with Chinese text for staff.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
import uuid
from asyncio import FIRST_COMPLETED
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from catalog.models import Place, Robot
from robot_bridge.drivers import NavOutcome, NavResult, RobotDriver, RobotOffline
from robot_bridge.geometry import Pose2D
from robot_bridge.routing import Route, round_distance

logger = logging.getLogger(__name__)

EVENT_LOG_SIZE = 500
# A progress event every this many metres: enough to follow, not enough to flood the log.
PROGRESS_STEP_M = 10.0
# How long a robot has to confirm a cancelled goal before we stop waiting for it.
CANCEL_GRACE_S = 5.0


class RobotState(StrEnum):
    offline = "offline"
    idle = "idle"
    leading = "leading"
    waiting = "waiting"
    returning = "returning"
    error = "error"


# why a robot cannot lead right now, as the visitor hears it
REASON_TEXT = {
    "busy": "正在为其他访客带路",
    "offline": "暂时无法连接",
    "low_battery": "电量不足",
    "error": "需要工作人员检修",
}

STATE_TEXT = {
    RobotState.offline: "离线",
    RobotState.idle: "空闲",
    RobotState.leading: "带路中",
    RobotState.waiting: "在目的地等候",
    RobotState.returning: "返回中",
    RobotState.error: "需要检修",
}


class GuidePhase(StrEnum):
    leading = "leading"
    arrived = "arrived"
    returning = "returning"
    ended = "ended"


class GuideOutcome(StrEnum):
    arrived = "arrived"
    navigation_failed = "navigation_failed"
    navigation_timeout = "navigation_timeout"
    cancelled = "cancelled"
    connection_lost = "connection_lost"


class GuideNotFound(LookupError):
    """No such guide on this robot (never started, or already over)."""


class GuideNotCancellable(RuntimeError):
    """The guide is past the point where cancelling changes anything."""


@dataclass(frozen=True)
class GuideTiming:
    arrival_wait_s: float = 20.0
    nav_timeout_s: float = 300.0


@dataclass
class RobotEvent:
    seq: int
    at: float
    robot_id: str
    type: str
    text: str
    guide_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class GuideTask:
    robot_id: str
    place: Place
    session_id: str
    route: Route
    goal: Pose2D
    screen_ids: list[str]
    id: str = field(default_factory=lambda: f"g-{uuid.uuid4().hex[:12]}")
    phase: GuidePhase = GuidePhase.leading
    outcome: GuideOutcome | None = None
    distance_remaining: float | None = None
    created_at: float = field(default_factory=time.time)
    ended_at: float | None = None
    cancel_requested: asyncio.Event = field(default_factory=asyncio.Event)


def arrival_text(place: Place, window_text: str) -> str:
    """What the robot says on arrival: 社保窗口到了，在16到19号窗口办理。"""
    return f"{place.name}到了，在{window_text}办理。" if window_text else f"{place.name}到了。"


GuideListener = Callable[[GuideTask, str], None]  # (task, text for the visitor's screen)


class RobotAgent:
    """Runs the guides of one robot through its driver, one at a time."""

    def __init__(
        self,
        robot: Robot,
        door: Place,
        driver: RobotDriver,
        timing: GuideTiming,
        min_battery: float = 0.15,
    ) -> None:
        self.robot = robot
        self.door = door
        self.driver = driver
        self.timing = timing
        self.min_battery = min_battery
        self.task: GuideTask | None = None
        self.last_task: GuideTask | None = None
        self.last_error: str | None = None
        self.events: deque[RobotEvent] = deque(maxlen=EVENT_LOG_SIZE)
        self.listeners: list[GuideListener] = []
        self._state = RobotState.idle
        self._seq = itertools.count(1)
        self._job: asyncio.Task[None] | None = None
        self._return_pending = False
        self._ever_connected = False
        driver.on_connection_change(self._on_connection)

    @property
    def home(self) -> Pose2D:
        return Pose2D(self.robot.home.x, self.robot.home.y, self.robot.home.theta)

    @property
    def state(self) -> RobotState:
        return self._state if self.driver.connected else RobotState.offline

    def availability(self) -> tuple[bool, str]:
        """Whether a new guide can start now, and if not, why: offline, busy, error, low_battery."""
        if not self.driver.connected:
            return False, "offline"
        if self._state is RobotState.error:
            return False, "error"
        if self.task is not None or self._state is not RobotState.idle or self._busy():
            return False, "busy"
        battery = self.driver.status().battery
        if battery is not None and battery < self.min_battery:
            return False, "low_battery"
        return True, "available"

    def start_guide(self, task: GuideTask) -> None:
        """Start `task` now; the caller has checked `availability()` in the same loop step."""
        available, reason = self.availability()
        if not available:
            raise RuntimeError(f"{self.robot.id} cannot guide: {reason}")
        self.task = task
        self._state = RobotState.leading
        self._event("guide_started", f"开始带路：前往{task.place.name}", task, destination=task.place.id)
        self._job = asyncio.create_task(self._run(task), name=f"guide-{task.id}")

    def decline(self, place: Place, reason: str) -> None:
        """Record that a guide was asked for and not started."""
        why = REASON_TEXT.get(reason, reason)
        self._event("guide_declined", f"未能带路去{place.name}（{why}），已在指路屏显示路线", reason=reason)

    async def cancel(self, guide_id: str) -> GuideTask:
        """Cancel the running guide `guide_id`; the robot goes home."""
        task = self.task
        if task is None or task.id != guide_id:
            raise GuideNotFound(guide_id)
        if task.phase in (GuidePhase.returning, GuidePhase.ended):
            raise GuideNotCancellable(f"guide {guide_id} is already {task.phase.value}")
        task.cancel_requested.set()  # the running _navigate or the arrival wait picks it up
        return task

    async def send_home(self) -> None:
        """Staff command: drive home now (clears an error); refused while a guide runs."""
        if not self.driver.connected:
            raise RobotOffline(f"{self.robot.id} is not connected")
        if self._busy() or self.task is not None:
            raise GuideNotCancellable(f"{self.robot.id} is busy")
        self._state = RobotState.returning
        self._job = asyncio.create_task(self._go_home(None), name=f"home-{self.robot.id}")
        await asyncio.sleep(0)  # let the goal go out before answering

    async def stop(self) -> None:
        if self._job is not None:
            self._job.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._job

    # --- the lifecycle ------------------------------------------------------------------

    def _busy(self) -> bool:
        return self._job is not None and not self._job.done()

    async def _run(self, task: GuideTask) -> None:
        try:
            await self._lead(task)
            await self._go_home(task)
        except RobotOffline:
            await self._link_lost(task)
        except Exception as error:  # a bug must not leave the robot marked busy forever
            logger.exception("guide %s failed", task.id)
            self._end(task, None)
            self._state = RobotState.error
            self.last_error = repr(error)
            self._event("error", f"带路出错：{error!r}", task)

    async def _lead(self, task: GuideTask) -> None:
        place = task.place
        await self._say(task, f"请跟我来，我带您去{place.name}。")
        if task.cancel_requested.is_set():
            await self._cancelled(task)
            return
        self._event(
            "navigating",
            f"前往{place.name}，全程约{round_distance(task.route.distance_m)}米",
            task,
            goal={"x": round(task.goal.x, 2), "y": round(task.goal.y, 2), "theta": round(task.goal.theta, 3)},
        )
        result = await self._navigate(task.goal, task)
        if task.cancel_requested.is_set() or (result is not None and result.outcome is NavOutcome.canceled):
            await self._cancelled(task)
        elif result is None:
            task.outcome = GuideOutcome.navigation_timeout
            self._event("nav_timeout", f"前往{place.name}超时（{self.timing.nav_timeout_s:g}秒），已取消导航", task)
            self._notify(task, "机器人没能按时到达，请按屏幕上的路线前往。")
            await self._say(task, f"抱歉，我暂时过不去，请按指路屏上的路线前往{place.name}。")
        elif result.outcome is NavOutcome.aborted:
            task.outcome = GuideOutcome.navigation_failed
            self.last_error = result.message
            self._event("nav_failed", f"无法到达{place.name}：{result.message}", task, error_code=result.error_code)
            self._notify(task, "前方道路受阻，请按屏幕上的路线前往。")
            await self._say(task, f"抱歉，前面的路走不通，请按指路屏上的路线前往{place.name}。")
        else:
            task.phase, task.outcome = GuidePhase.arrived, GuideOutcome.arrived
            self._state = RobotState.waiting
            self._event("arrived", f"已到达{place.name}", task)
            self._notify(task, f"已到达{place.name}。")
            await self._say(task, arrival_text(place, task.route.window_text))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(task.cancel_requested.wait(), self.timing.arrival_wait_s)
            if task.cancel_requested.is_set():
                # the visitor did arrive: the outcome stays "arrived", only the wait is cut short
                self._event("guide_cancelled", "已取消等候，提前返回", task)

    async def _cancelled(self, task: GuideTask) -> None:
        task.outcome = GuideOutcome.cancelled
        self._event("guide_cancelled", "带路已取消", task)
        self._notify(task, "带路已取消。")
        await self._say(task, "好的，我先回去了。")

    async def _go_home(self, task: GuideTask | None) -> None:
        self._state = RobotState.returning
        if task is not None:
            task.phase = GuidePhase.returning
        self._event("returning", f"返回{self.door.name}", task)
        try:
            result = await self._navigate(self.home, None)
        except RobotOffline:
            self._end(task, task.outcome if task else None)
            self._home_later()
            return
        if result is not None and result.outcome is NavOutcome.succeeded:
            self._state = RobotState.idle
            self.last_error = None
            self._event("home", f"已回到{self.door.name}", task)
        else:
            reason = "超时" if result is None else result.message or result.outcome.value
            self._state = RobotState.error
            self.last_error = f"return home: {reason}"
            self._event("return_failed", f"返回{self.door.name}失败（{reason}），需要工作人员协助", task)
        self._end(task, task.outcome if task else None)

    async def _link_lost(self, task: GuideTask | None) -> None:
        if task is not None and task.phase is not GuidePhase.returning:
            task.outcome = GuideOutcome.connection_lost
            self._event("guide_interrupted", "带路中断：与机器人失去连接，访客可按指路屏上的路线前往", task)
            self._notify(task, "机器人连接中断，请按屏幕上的路线前往。")
        self._end(task, task.outcome if task else None)
        self._home_later()

    def _home_later(self) -> None:
        """Send the robot home as soon as the link is up and no job runs."""
        self._return_pending = True
        self._state = RobotState.returning
        if self.driver.connected:  # the link came back while we were unwinding
            asyncio.get_running_loop().call_soon(self._recover_if_due)

    def _recover_if_due(self) -> None:
        if self._return_pending and self.driver.connected and not self._busy():
            self._return_pending = False
            self._job = asyncio.create_task(self._recover(), name=f"recover-{self.robot.id}")

    async def _recover(self) -> None:
        """After a lost link: apologise and drive home."""
        try:
            await self._say(None, "抱歉，刚才网络中断了，我先回门口。")
        except RobotOffline:
            self._home_later()
            return
        await self._go_home(None)

    def _end(self, task: GuideTask | None, outcome: GuideOutcome | None) -> None:
        if task is None or task.phase is GuidePhase.ended:
            return
        task.phase, task.outcome, task.ended_at = GuidePhase.ended, outcome, time.time()
        if self.task is task:
            self.task, self.last_task = None, task

    async def _navigate(self, goal: Pose2D, task: GuideTask | None) -> NavResult | None:
        """The driver's result, or None on timeout (the goal is then cancelled on the robot)."""
        marks: list[float] = []

        def feedback(remaining: float) -> None:
            if task is None:
                return
            task.distance_remaining = remaining
            mark = PROGRESS_STEP_M * (remaining // PROGRESS_STEP_M)
            if remaining > 0 and marks and mark < marks[-1]:
                self._event("progress", f"距离{task.place.name}还有约{round_distance(remaining)}米", task)
            if not marks or mark < marks[-1]:
                marks.append(mark)

        navigation = asyncio.ensure_future(self.driver.navigate(goal, feedback))
        # a cancel request is watched here, so it also catches a goal still on its way out
        cancelled = asyncio.ensure_future(task.cancel_requested.wait()) if task else None
        try:
            waiting = {navigation} if cancelled is None else {navigation, cancelled}
            done, _ = await asyncio.wait(waiting, timeout=self.timing.nav_timeout_s, return_when=FIRST_COMPLETED)
            if navigation in done:
                return navigation.result()
            if cancelled is not None and cancelled in done:
                await self.driver.cancel_navigation()
                try:
                    return await asyncio.wait_for(navigation, CANCEL_GRACE_S)
                except TimeoutError:  # the robot never confirmed; the goal was cancelled again
                    return NavResult(NavOutcome.canceled, "cancel not confirmed")
            return None
        finally:
            if cancelled is not None:
                cancelled.cancel()
            if not navigation.done():
                # cancelling the driver's call cancels the goal on the robot
                navigation.cancel()
                with contextlib.suppress(asyncio.CancelledError, RobotOffline):
                    await navigation

    async def _say(self, task: GuideTask | None, text: str) -> None:
        await self.driver.speak(text)
        self._event("said", f"播报：{text}", task, speech=text)

    def _notify(self, task: GuideTask, text: str) -> None:
        for listener in list(self.listeners):
            try:
                listener(task, text)
            except Exception:  # a screen's trouble must not stop the robot
                logger.exception("guide listener failed")

    def _event(self, kind: str, text: str, task: GuideTask | None = None, **data: Any) -> RobotEvent:
        event = RobotEvent(next(self._seq), time.time(), self.robot.id, kind, text, task.id if task else None, data)
        self.events.append(event)
        logger.info("%s %s: %s", self.robot.id, kind, text)
        return event

    def _on_connection(self, up: bool) -> None:
        if not up:
            self._event("disconnected", "与机器人的连接中断，正在重连")
            return
        self._event("reconnected" if self._ever_connected else "connected", "已连接机器人")
        self._ever_connected = True
        # a job still unwinding from the lost link calls _home_later() itself when done
        self._recover_if_due()
