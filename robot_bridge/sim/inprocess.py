"""`RobotDriver` over a `SimRobot` in this process: no sockets, the same robot semantics."""

from __future__ import annotations

import asyncio
import time

from robot_bridge.drivers import Backoff, FeedbackCallback, NavOutcome, NavResult, RobotStatus
from robot_bridge.drivers.link import LinkedDriver
from robot_bridge.geometry import Pose2D
from robot_bridge.sim.robot import STATUS_CANCELED, STATUS_SUCCEEDED, SimGoal, SimResult, SimRobot


class InProcessDriver(LinkedDriver):
    """Talks to a simulated robot directly; its link faults behave like a dropped socket."""

    def __init__(self, sim: SimRobot, backoff: Backoff) -> None:
        super().__init__()
        self.sim = sim
        self.backoff = backoff
        self._link_lost = asyncio.Event()
        self._goal: SimGoal | None = None
        self._last = RobotStatus(connected=False)
        sim.on_link_change(self._on_link)

    @property
    def robot_id(self) -> str:
        return self.sim.robot_id

    def status(self) -> RobotStatus:
        if self._connected:
            self._last = RobotStatus(True, self.sim.pose, self.sim.battery, time.time())
        else:
            self._last = RobotStatus(False, self._last.pose, self._last.battery, self._last.updated_at)
        return self._last

    async def stop(self) -> None:
        await self._stop_connecting()
        self._set_connected(False)

    async def speak(self, text: str) -> None:
        self._require_link()
        self.sim.say(text)

    async def navigate(self, goal: Pose2D, on_feedback: FeedbackCallback | None = None) -> NavResult:
        self._require_link()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[NavResult] = loop.create_future()

        def feedback(remaining: float, _pose: Pose2D) -> None:
            if on_feedback is not None and not future.done() and self._connected:
                on_feedback(remaining)

        def result(outcome: SimResult) -> None:
            if not future.done() and self._connected:
                future.set_result(_nav_result(outcome))

        sim_goal = self.sim.send_goal(goal, feedback, result)
        self._goal, self._pending = sim_goal, future
        try:
            return await future
        except asyncio.CancelledError:
            if self._connected:
                self.sim.cancel_goal(sim_goal)
            raise
        finally:
            if self._pending is future:
                self._goal, self._pending = None, None

    async def cancel_navigation(self) -> None:
        if self._goal is not None and self._connected:
            self.sim.cancel_goal(self._goal)

    def _on_link(self, up: bool) -> None:
        if not up:
            self._link_lost.set()

    async def _connect_loop(self) -> None:
        while True:
            if not self.sim.link_up:
                await asyncio.sleep(self.backoff.next_delay())
                continue
            self.backoff.reset()
            self._link_lost.clear()
            self._set_connected(True)
            await self._link_lost.wait()
            self._set_connected(False)

    def _set_connected(self, up: bool) -> None:
        if self._connected and not up:
            # what the robot last reported before the link went
            self._last = RobotStatus(False, self.sim.pose, self.sim.battery, time.time())
        super()._set_connected(up)


def _nav_result(result: SimResult) -> NavResult:
    if result.status == STATUS_SUCCEEDED:
        return NavResult(NavOutcome.succeeded)
    if result.status == STATUS_CANCELED:
        return NavResult(NavOutcome.canceled, result.error_msg, result.error_code)
    return NavResult(NavOutcome.aborted, result.error_msg, result.error_code)
