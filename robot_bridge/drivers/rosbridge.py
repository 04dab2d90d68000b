"""`RobotDriver` over rosbridge v2 (ROS 2, nav2) with roslibpy.

Speech goes out as std_msgs/String on the speech topic, navigation as a nav2
`NavigateToPose` action goal in the map frame, and status comes in from the pose
(PoseWithCovarianceStamped) and battery (BatteryState) topics.

roslibpy runs its own event loop on a background thread (the `asyncio` transport); its
callbacks are handed to our loop with `call_soon_threadsafe`. We keep reconnection to
ourselves: each attempt is a fresh `roslibpy.Ros`, retried with our `Backoff`, because
roslibpy's built-in retry starts at a fixed 1 s, grows by 2.7x, and resubscribes topics
behind our back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import roslibpy
from roslibpy.comm import select_factory

from robot_bridge.drivers import Backoff, FeedbackCallback, NavOutcome, NavResult, RobotStatus, RosInterfaces
from robot_bridge.drivers.link import LinkedDriver
from robot_bridge.geometry import Pose2D, pose_from_msg, pose_stamped_msg

logger = logging.getLogger(__name__)


class _OwnRetries(logging.Filter):
    """roslibpy warns "giving up" whenever its own retry is spent; we retry, so that would mislead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Exceeded max reconnect retries" not in record.getMessage()


logging.getLogger("roslibpy").addFilter(_OwnRetries())

TRANSPORT = "asyncio"
# action_msgs/GoalStatus
STATUS_SUCCEEDED = 4
STATUS_CANCELED = 5


class RosbridgeDriver(LinkedDriver):
    """One robot behind one rosbridge WebSocket URL (ws://host:9090)."""

    def __init__(
        self,
        robot_id: str,
        url: str,
        backoff: Backoff,
        names: RosInterfaces | None = None,
        connect_timeout_s: float = 5.0,
        ping_interval_s: float = 5.0,
    ) -> None:
        super().__init__()
        self._robot_id = robot_id
        self.url = url
        self.backoff = backoff
        self.names = names or RosInterfaces()
        self.connect_timeout_s = connect_timeout_s
        self.ping_interval_s = ping_interval_s
        self._lost = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ros: Any = None
        self._generation = 0  # ignores callbacks from connections already given up
        self._speech: Any = None
        self._action: Any = None
        self._goal_id: str | None = None
        self._pose: Pose2D | None = None
        self._battery: float | None = None
        self._updated_at: float | None = None
        # We reconnect ourselves; roslibpy must not retry in the background as well.
        select_factory(TRANSPORT).set_max_retries(0)

    @property
    def robot_id(self) -> str:
        return self._robot_id

    def status(self) -> RobotStatus:
        return RobotStatus(self._connected, self._pose, self._battery, self._updated_at)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await super().start()

    async def stop(self) -> None:
        await self._stop_connecting()
        ros, self._ros = self._ros, None
        self._generation += 1
        self._set_connected(False)
        if ros is not None:
            await _close(ros)

    async def speak(self, text: str) -> None:
        self._require_link()
        self._speech.publish(roslibpy.Message({"data": text}))

    async def navigate(self, goal: Pose2D, on_feedback: FeedbackCallback | None = None) -> NavResult:
        self._require_link()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[NavResult] = loop.create_future()
        generation = self._generation

        def settle(result: NavResult) -> None:
            if not future.done() and generation == self._generation:
                future.set_result(result)

        def feedback(values: Any) -> None:
            remaining = _float(dict(values).get("distance_remaining"))
            if on_feedback is not None and remaining is not None and not future.done():
                on_feedback(remaining)

        message = {"pose": pose_stamped_msg(goal, time.time(), self.names.frame_id), "behavior_tree": ""}
        action = self._action
        goal_id: str = action.send_goal(
            roslibpy.Goal(message),
            lambda result: loop.call_soon_threadsafe(settle, _nav_result(result)),
            lambda values: loop.call_soon_threadsafe(feedback, values),
            lambda error: loop.call_soon_threadsafe(settle, _nav_error(error)),
        )
        self._goal_id, self._pending = goal_id, future
        try:
            return await future
        except asyncio.CancelledError:
            if self._connected and generation == self._generation:
                action.cancel_goal(goal_id)
            raise
        finally:
            if self._pending is future:
                self._goal_id, self._pending = None, None

    async def cancel_navigation(self) -> None:
        if self._goal_id is not None and self._connected:
            self._action.cancel_goal(self._goal_id)

    # --- connection -------------------------------------------------------------------

    def _link_description(self) -> str:
        return f"{self.robot_id} ({self.url})"

    async def _connect_loop(self) -> None:
        while True:
            ros = await self._open()
            if ros is None:
                await asyncio.sleep(self.backoff.next_delay())
                continue
            self.backoff.reset()
            self._attach(ros)
            self._set_connected(True)
            await self._lost.wait()
            logger.warning("%s: lost the rosbridge link %s", self.robot_id, self.url)
            self._generation += 1
            self._ros = None
            self._set_connected(False)

    async def _open(self) -> Any:
        """One connection attempt: a connected `roslibpy.Ros`, or None."""
        assert self._loop is not None
        loop = self._loop
        ready: asyncio.Future[bool] = loop.create_future()

        def settle(ok: bool) -> None:
            if not ready.done():
                ready.set_result(ok)

        try:
            ros = await asyncio.to_thread(roslibpy.Ros, self.url, None, transport=TRANSPORT)
        except Exception as error:  # a malformed URL or no loop thread: retry later
            logger.warning("%s: cannot connect to %s: %r", self.robot_id, self.url, error)
            return None
        # Pings find a link that died without closing (a pulled cable); set before the
        # handshake completes, which the loop thread is still busy with.
        ros.factory.setProtocolOptions(autoPingInterval=self.ping_interval_s, autoPingTimeout=self.ping_interval_s)
        abandoned = False

        def on_ready(proto: Any) -> None:  # roslibpy's thread
            if abandoned:
                proto.send_close()  # a handshake that finished after we gave up on it
            else:
                loop.call_soon_threadsafe(settle, True)

        ros.factory.on_ready(on_ready)
        ros.on("close", lambda _proto: loop.call_soon_threadsafe(settle, False))
        ok = False
        with contextlib.suppress(TimeoutError):
            ok = await asyncio.wait_for(ready, self.connect_timeout_s)
        if not ok:
            abandoned = True
            await _close(ros)
            return None
        return ros

    def _attach(self, ros: Any) -> None:
        """Advertise speech, subscribe to status, and watch for the link dropping."""
        assert self._loop is not None
        loop = self._loop
        self._generation += 1
        generation = self._generation
        self._ros = ros
        self._lost.clear()
        names = self.names

        def lost(_proto: Any) -> None:
            if generation == self._generation:
                self._lost.set()

        ros.on("close", lambda proto: loop.call_soon_threadsafe(lost, proto))
        self._speech = roslibpy.Topic(ros, names.speech_topic, names.speech_type, reconnect_on_close=False)
        self._speech.advertise()
        self._action = roslibpy.ActionClient(ros, names.nav_action, names.nav_action_type)
        pose_topic = roslibpy.Topic(ros, names.pose_topic, names.pose_type, reconnect_on_close=False)
        pose_topic.subscribe(lambda msg: loop.call_soon_threadsafe(self._on_pose, generation, msg))
        battery_topic = roslibpy.Topic(ros, names.battery_topic, names.battery_type, reconnect_on_close=False)
        battery_topic.subscribe(lambda msg: loop.call_soon_threadsafe(self._on_battery, generation, msg))

    def _on_pose(self, generation: int, msg: dict[str, Any]) -> None:
        if generation != self._generation:
            return
        try:
            self._pose = pose_from_msg(msg["pose"]["pose"])
            self._updated_at = time.time()
        except (KeyError, TypeError, ValueError):
            logger.warning("%s: malformed pose message %r", self.robot_id, msg)

    def _on_battery(self, generation: int, msg: dict[str, Any]) -> None:
        if generation != self._generation:
            return
        percentage = _float(msg.get("percentage"))
        if percentage is not None:
            self._battery = percentage
            self._updated_at = time.time()


async def _close(ros: Any) -> None:
    """Close a roslibpy connection without stopping roslibpy's shared loop thread."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(asyncio.to_thread(ros.close, 2), 3)


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _nav_result(result: Any) -> NavResult:
    """roslibpy's Result: {"status": GoalStatus, "values": the action's result fields}."""
    status = result["status"]
    code = int(getattr(status, "value", status))
    values = result.get("values")
    fields = values if isinstance(values, dict) else {}
    error_code = int(fields.get("error_code", 0) or 0)
    message = str(fields.get("error_msg", "") or "")
    if code == STATUS_SUCCEEDED:
        return NavResult(NavOutcome.succeeded)
    if code == STATUS_CANCELED:
        return NavResult(NavOutcome.canceled, message, error_code)
    return NavResult(NavOutcome.aborted, message or f"goal ended with status {code}", error_code)


def _nav_error(error: Any) -> NavResult:
    """rosbridge could not run the goal at all (result: false); values holds the reason."""
    values = error.get("values") if isinstance(error, dict) else error
    return NavResult(NavOutcome.aborted, f"rosbridge refused the goal: {values}")
