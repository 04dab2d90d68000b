"""Planar poses in the map frame (metres; 0 rad = east, pi/2 = north) and their ROS forms."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Pose2D:
    x: float
    y: float
    theta: float = 0.0  # radians, counter-clockwise from east

    def distance_to(self, x: float, y: float) -> float:
        return math.hypot(x - self.x, y - self.y)


def bearing_deg(x0: float, y0: float, x1: float, y1: float) -> float:
    """Heading from (x0, y0) to (x1, y1) in degrees, map frame, in (-180, 180]."""
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


def normalize_deg(angle: float) -> float:
    """The same angle in (-180, 180]."""
    angle = math.fmod(angle, 360.0)
    if angle <= -180.0:
        angle += 360.0
    elif angle > 180.0:
        angle -= 360.0
    return angle


def yaw_to_quaternion(theta: float) -> dict[str, float]:
    """geometry_msgs/Quaternion of a rotation about z."""
    return {"x": 0.0, "y": 0.0, "z": math.sin(theta / 2.0), "w": math.cos(theta / 2.0)}


def quaternion_to_yaw(q: dict[str, float]) -> float:
    """Yaw of a geometry_msgs/Quaternion (roll and pitch are zero on a floor)."""
    x, y, z, w = (float(q.get(k, 0.0)) for k in ("x", "y", "z", "w"))
    return math.atan2(2.0 * (w * z + x * y), 1.0 - 2.0 * (y * y + z * z))


def ros_time(seconds: float) -> dict[str, int]:
    """builtin_interfaces/Time (ROS 2 spells the fields sec and nanosec)."""
    sec = int(seconds)
    return {"sec": sec, "nanosec": int((seconds - sec) * 1e9)}


def pose_msg(pose: Pose2D) -> dict[str, object]:
    """geometry_msgs/Pose."""
    return {
        "position": {"x": pose.x, "y": pose.y, "z": 0.0},
        "orientation": yaw_to_quaternion(pose.theta),
    }


def pose_stamped_msg(pose: Pose2D, stamp: float, frame_id: str = "map") -> dict[str, object]:
    """geometry_msgs/PoseStamped."""
    return {"header": {"stamp": ros_time(stamp), "frame_id": frame_id}, "pose": pose_msg(pose)}


def pose_from_msg(msg: dict[str, object]) -> Pose2D:
    """Pose2D from a geometry_msgs/Pose dict."""
    position = msg.get("position")
    orientation = msg.get("orientation")
    if not isinstance(position, dict) or not isinstance(orientation, dict):
        raise ValueError("a Pose needs position and orientation")
    return Pose2D(float(position["x"]), float(position["y"]), quaternion_to_yaw(orientation))
