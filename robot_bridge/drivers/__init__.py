"""The `RobotDriver` interface: speak, navigate, report status; one implementation per transport.

Implementations: `RosbridgeDriver` (a real robot, or the simulator server, over rosbridge
v2 with roslibpy) and `InProcessDriver` (the simulated robot in this process). Both pass
the same contract test, `tests/robot_bridge/test_driver_contract.py`.

Errors are plain: a lost or missing link raises `RobotOffline`; a goal that the robot
could not reach is a `NavResult` with outcome `aborted`, not an exception.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from robot_bridge.geometry import Pose2D


class RobotOffline(Exception):
    """The robot cannot be reached (never connected, or the link dropped)."""


class NavOutcome(StrEnum):
    succeeded = "succeeded"
    aborted = "aborted"
    canceled = "canceled"


@dataclass(frozen=True)
class NavResult:
    outcome: NavOutcome
    message: str = ""
    error_code: int = 0


@dataclass(frozen=True)
class RobotStatus:
    connected: bool
    pose: Pose2D | None = None
    battery: float | None = None  # 0..1, sensor_msgs/BatteryState.percentage
    updated_at: float | None = None  # time.time() of the last pose or battery message


FeedbackCallback = Callable[[float], None]  # metres remaining
ConnectionCallback = Callable[[bool], None]


@runtime_checkable
class RobotDriver(Protocol):
    """What the guide logic needs from a robot, whatever carries the messages."""

    @property
    def robot_id(self) -> str: ...

    @property
    def connected(self) -> bool: ...

    def status(self) -> RobotStatus:
        """The last known pose and battery, and whether the link is up now."""
        ...

    def on_connection_change(self, callback: ConnectionCallback) -> None:
        """Call `callback(connected)` on the event loop whenever the link goes up or down."""
        ...

    async def start(self) -> None:
        """Begin connecting; reconnects with backoff in the background until `stop`."""
        ...

    async def stop(self) -> None: ...

    async def wait_connected(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the link; True if it is up."""
        ...

    async def speak(self, text: str) -> None:
        """Say `text` (std_msgs/String on the speech topic); raises RobotOffline."""
        ...

    async def navigate(self, goal: Pose2D, on_feedback: FeedbackCallback | None = None) -> NavResult:
        """Drive to `goal` (map frame) and return how it ended; raises RobotOffline.

        Cancelling the awaiting task also cancels the goal on the robot.
        """
        ...

    async def cancel_navigation(self) -> None:
        """Cancel the running goal, if any; its `navigate` returns outcome `canceled`."""
        ...


class Backoff:
    """Exponential reconnect delays with a little jitter, so robots do not retry in step."""

    def __init__(self, initial: float, maximum: float, factor: float = 2.0, jitter: float = 0.1) -> None:
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.jitter = jitter
        self._next = initial

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self._next * self.factor, self.maximum)
        return max(0.0, delay * (1.0 + random.uniform(-self.jitter, self.jitter)))

    def reset(self) -> None:
        self._next = self.initial


@dataclass(frozen=True)
class RosInterfaces:
    """ROS names and types the robot offers through rosbridge (nav2 defaults)."""

    speech_topic: str = "/speech"
    speech_type: str = "std_msgs/String"
    nav_action: str = "/navigate_to_pose"
    nav_action_type: str = "nav2_msgs/action/NavigateToPose"
    pose_topic: str = "/amcl_pose"
    pose_type: str = "geometry_msgs/PoseWithCovarianceStamped"
    battery_topic: str = "/battery_state"
    battery_type: str = "sensor_msgs/BatteryState"
    frame_id: str = "map"
