"""A rosbridge v2 server in front of a simulated robot, so the bridge can be run and tested
without ROS.

It speaks the rosbridge protocol as rosbridge_suite does for ROS 2: advertise,
unadvertise, publish, subscribe, unsubscribe, call_service/service_response,
send_action_goal, action_feedback, action_result, cancel_action_goal, and status
messages for errors. The robot offers what a nav2 robot offers:

- `/navigate_to_pose` (nav2_msgs/action/NavigateToPose), goals in the map frame;
- `/amcl_pose` (geometry_msgs/PoseWithCovarianceStamped) and `/battery_state`
  (sensor_msgs/BatteryState), delivered to new subscribers at once, as a latched topic;
- `/speech` (std_msgs/String): whatever is published there is "said";
- a few rosapi services (`/rosapi/topics`, `/rosapi/topic_type`, `/rosapi/services`,
  `/rosapi/get_time`).

Faults, for tests and demos: publish JSON on `/sim/control` (std_msgs/String), e.g.
`{"command": "block_next"}`, `{"command": "slow_start", "seconds": 5, "goals": 1}`,
`{"command": "disconnect", "seconds": 3}`, `{"command": "battery", "level": 0.1}`,
`{"command": "reset"}`; or the matching command-line options.

    python -m robot_bridge.sim.rosbridge --port 9090 --robot robot-north
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from catalog.loader import DEFAULT_CATALOG_DIR, load_catalog
from catalog.models import HallMap
from robot_bridge.drivers import RosInterfaces
from robot_bridge.geometry import Pose2D, pose_msg, pose_stamped_msg, quaternion_to_yaw, ros_time
from robot_bridge.sim.robot import ERROR_TF, STATUS_ABORTED, SimGoal, SimResult, SimRobot

logger = logging.getLogger(__name__)

CONTROL_TOPIC = "/sim/control"
STRING_TYPE = "std_msgs/String"
# A slow client must not hold up the robot: beyond this many queued frames, drop the oldest.
OUTBOX_LIMIT = 1000
ROSAPI_SERVICES = ("/rosapi/topics", "/rosapi/topic_type", "/rosapi/services", "/rosapi/get_time")


def normalize_type(name: str) -> str:
    """`pkg/msg/Type` and `pkg/Type` name the same ROS 2 interface."""
    parts = name.strip("/").split("/")
    if len(parts) == 3 and parts[1] in ("msg", "srv", "action"):
        return f"{parts[0]}/{parts[2]}"
    return "/".join(parts)


class ProtocolError(Exception):
    """A malformed or refused rosbridge message; reported to the client as a status message."""


@dataclass
class Subscription:
    id: str | None
    throttle_ms: int
    last_sent: float = 0.0


@dataclass(eq=False)  # compared and hashed by identity: one per connection
class Client:
    ws: ServerConnection
    outbox: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    subscriptions: dict[str, dict[str | None, Subscription]] = field(default_factory=dict)
    advertised: dict[str, set[str | None]] = field(default_factory=dict)

    def send(self, message: dict[str, Any]) -> None:
        if self.outbox.qsize() >= OUTBOX_LIMIT:
            with contextlib.suppress(asyncio.QueueEmpty):
                self.outbox.get_nowait()
        self.outbox.put_nowait(json.dumps(message, ensure_ascii=False))


class RosbridgeSimulator:
    """One rosbridge server for one simulated robot."""

    def __init__(
        self,
        sim: SimRobot,
        host: str = "127.0.0.1",
        port: int = 0,
        names: RosInterfaces | None = None,
        pose_period_s: float = 0.1,
        idle_period_s: float = 1.0,
    ) -> None:
        self.sim = sim
        self.host = host
        self.requested_port = port
        self.names = names or RosInterfaces()
        self.pose_period_s = pose_period_s
        self.idle_period_s = idle_period_s
        self.clients: set[Client] = set()
        self.types: dict[str, str] = {
            self.names.pose_topic: self.names.pose_type,
            self.names.battery_topic: self.names.battery_type,
            self.names.speech_topic: self.names.speech_type,
            CONTROL_TOPIC: STRING_TYPE,
        }
        self.latched: dict[str, dict[str, Any]] = {}
        self.goals: dict[str, tuple[Client, SimGoal]] = {}
        self.received: list[dict[str, Any]] = []  # every operation received, for tests
        self._server: Server | None = None
        self._publisher: asyncio.Task[None] | None = None
        sim.on_link_change(self._on_link)

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the simulator first"
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    async def start(self) -> None:
        await self.sim.start()
        self._server = await serve(
            self._handle, self.host, self.requested_port, process_request=self._admit, max_size=2**22
        )
        self._publisher = asyncio.create_task(self._publish_status(), name=f"simulator-{self.sim.robot_id}")
        logger.info("rosbridge simulator for %s on %s", self.sim.robot_id, self.url)

    async def stop(self) -> None:
        if self._publisher is not None:
            self._publisher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._publisher
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)
        await self.sim.stop()

    # --- connections --------------------------------------------------------------------

    def _admit(self, connection: ServerConnection, request: Request) -> Response | None:
        # While the link is "down" the robot is unreachable: refuse the handshake.
        if not self.sim.link_up:
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "robot link down\n")
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        client = Client(ws)
        self.clients.add(client)
        writer = asyncio.create_task(self._write(client))
        try:
            async for raw in ws:
                self._receive(client, raw)
        except ConnectionClosed:
            pass
        finally:
            self.clients.discard(client)
            writer.cancel()
            # goals keep running on the robot, as with nav2; only their results go nowhere
            for goal_id, (owner, _goal) in list(self.goals.items()):
                if owner is client:
                    self.goals.pop(goal_id, None)

    async def _write(self, client: Client) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await client.ws.send(await client.outbox.get())

    def _on_link(self, up: bool) -> None:
        if up:
            return
        for client in list(self.clients):
            # abort, not close: a lost network says no goodbye
            client.ws.transport.abort()

    def _receive(self, client: Client, raw: str | bytes) -> None:
        message: Any = None
        try:
            message = json.loads(raw)
            if not isinstance(message, dict) or not isinstance(message.get("op"), str):
                raise ProtocolError("Received a message without an op")
            self.received.append(message)
            handler = getattr(self, f"_op_{message['op']}", None)
            if handler is None:
                raise ProtocolError(f"Unknown operation: {message['op']}")
            handler(client, message)
        except (ProtocolError, json.JSONDecodeError) as error:
            self._status(client, message, "error", str(error))
        except (KeyError, TypeError, ValueError) as error:
            self._status(client, message, "error", f"{type(error).__name__}: {error}")

    def _status(self, client: Client, message: Any, level: str, text: str) -> None:
        status: dict[str, Any] = {"op": "status", "level": level, "msg": text}
        if isinstance(message, dict) and message.get("id") is not None:
            status["id"] = message["id"]
        client.send(status)

    # --- topics -------------------------------------------------------------------------

    def _check_type(self, topic: str, type_name: str | None) -> str:
        known = self.types.get(topic)
        if type_name:
            if known and normalize_type(known) != normalize_type(type_name):
                raise ProtocolError(f"Topic {topic} already has type {known}, not {type_name}")
            self.types.setdefault(topic, type_name)
            return type_name
        if known is None:
            raise ProtocolError(f"Cannot infer topic type for topic {topic} as it is not yet advertised")
        return known

    def _op_advertise(self, client: Client, message: dict[str, Any]) -> None:
        topic = _required(message, "topic")
        self._check_type(topic, _required(message, "type"))
        client.advertised.setdefault(topic, set()).add(message.get("id"))

    def _op_unadvertise(self, client: Client, message: dict[str, Any]) -> None:
        topic = _required(message, "topic")
        ids = client.advertised.get(topic, set())
        ids.discard(message.get("id"))
        if not ids or message.get("id") is None:
            client.advertised.pop(topic, None)

    def _op_subscribe(self, client: Client, message: dict[str, Any]) -> None:
        topic = _required(message, "topic")
        self._check_type(topic, message.get("type"))
        throttle = int(message.get("throttle_rate") or 0)
        client.subscriptions.setdefault(topic, {})[message.get("id")] = Subscription(message.get("id"), throttle)
        if topic in self.latched:
            client.send({"op": "publish", "topic": topic, "msg": self.latched[topic]})

    def _op_unsubscribe(self, client: Client, message: dict[str, Any]) -> None:
        topic = _required(message, "topic")
        subscriptions = client.subscriptions.get(topic, {})
        if message.get("id") is None:
            subscriptions.clear()
        else:
            subscriptions.pop(message.get("id"), None)
        if not subscriptions:
            client.subscriptions.pop(topic, None)

    def _op_publish(self, client: Client, message: dict[str, Any]) -> None:
        topic = _required(message, "topic")
        msg = message.get("msg")
        if not isinstance(msg, dict):
            raise ProtocolError(f"publish to {topic}: msg must be an object")
        self._check_type(topic, None)
        if topic == self.names.speech_topic:
            self.sim.say(_string_data(msg, topic))
        elif topic == CONTROL_TOPIC:
            self.control(json.loads(_string_data(msg, topic)))
        if message.get("latch"):
            self.latched[topic] = msg
        self.publish(topic, msg)

    def publish(self, topic: str, msg: dict[str, Any]) -> None:
        """Deliver `msg` to every subscriber of `topic`, honouring throttle rates."""
        now = time.monotonic()
        for client in list(self.clients):
            for sub in client.subscriptions.get(topic, {}).values():
                if sub.throttle_ms and (now - sub.last_sent) * 1000.0 < sub.throttle_ms:
                    continue
                sub.last_sent = now
                client.send({"op": "publish", "topic": topic, "msg": msg})
                break  # one copy per client, however many subscriptions it holds

    # --- services -----------------------------------------------------------------------

    def _op_call_service(self, client: Client, message: dict[str, Any]) -> None:
        service = _required(message, "service")
        args = message.get("args") or {}
        response: dict[str, Any] = {"op": "service_response", "service": service}
        if message.get("id") is not None:
            response["id"] = message["id"]
        if service == "/rosapi/topics":
            topics = sorted(self.types)
            response.update(values={"topics": topics, "types": [self.types[t] for t in topics]}, result=True)
        elif service == "/rosapi/topic_type":
            topic = args.get("topic", "") if isinstance(args, dict) else ""
            response.update(values={"type": self.types.get(topic, "")}, result=True)
        elif service == "/rosapi/services":
            response.update(values={"services": list(ROSAPI_SERVICES)}, result=True)
        elif service == "/rosapi/get_time":
            response.update(values={"time": ros_time(time.time())}, result=True)
        else:
            self._status(client, message, "error", f"Service {service} does not exist")
            response.update(values=f"Service {service} does not exist", result=False)
        client.send(response)

    def _op_service_response(self, client: Client, message: dict[str, Any]) -> None:
        raise ProtocolError("this simulator advertises no client-provided services")

    # --- actions ------------------------------------------------------------------------

    def _op_send_action_goal(self, client: Client, message: dict[str, Any]) -> None:
        action = _required(message, "action")
        action_type = _required(message, "action_type")
        goal_id = message.get("id")
        if action != self.names.nav_action or normalize_type(action_type) != normalize_type(self.names.nav_action_type):
            self._action_failure(client, goal_id, action, f"Action {action} of type {action_type} is not available")
            return
        args = message.get("args") or {}
        try:
            stamped = args["pose"]
            frame = str(stamped.get("header", {}).get("frame_id", ""))
            position = stamped["pose"]["position"]
            target = Pose2D(
                float(position["x"]), float(position["y"]), quaternion_to_yaw(stamped["pose"]["orientation"])
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            self._action_failure(client, goal_id, action, f"malformed NavigateToPose goal: {error!r}")
            return
        if frame not in ("", self.names.frame_id):
            refused = SimResult(STATUS_ABORTED, ERROR_TF, f"no transform from {frame} to {self.names.frame_id}")
            self._action_result(client, goal_id, action, refused)
            return
        started = time.monotonic()
        wants_feedback = bool(message.get("feedback"))

        def feedback(remaining: float, pose: Pose2D) -> None:
            if wants_feedback and client in self.clients:
                elapsed = time.monotonic() - started
                eta = remaining / self.sim.speed_mps if self.sim.speed_mps else 0.0
                values = {
                    "current_pose": pose_stamped_msg(pose, time.time(), self.names.frame_id),
                    "navigation_time": _duration(elapsed),
                    "estimated_time_remaining": _duration(eta),
                    "number_of_recoveries": 0,
                    "distance_remaining": remaining,
                }
                msg: dict[str, Any] = {"op": "action_feedback", "action": action, "values": values}
                if goal_id is not None:
                    msg["id"] = goal_id
                client.send(msg)

        def result(outcome: SimResult) -> None:
            if goal_id is not None:
                self.goals.pop(goal_id, None)
            if client in self.clients:
                self._action_result(client, goal_id, action, outcome)

        goal = self.sim.send_goal(target, feedback, result)
        if goal_id is not None:
            self.goals[goal_id] = (client, goal)

    def _op_cancel_action_goal(self, client: Client, message: dict[str, Any]) -> None:
        _required(message, "action")
        entry = self.goals.get(str(message.get("id")))
        if entry is not None:
            self.sim.cancel_goal(entry[1])

    def _action_result(self, client: Client, goal_id: Any, action: str, outcome: SimResult) -> None:
        msg: dict[str, Any] = {
            "op": "action_result",
            "action": action,
            "values": {"error_code": outcome.error_code, "error_msg": outcome.error_msg},
            "status": outcome.status,
            "result": True,
        }
        if goal_id is not None:
            msg["id"] = goal_id
        client.send(msg)

    def _action_failure(self, client: Client, goal_id: Any, action: str, reason: str) -> None:
        # rosbridge's own failure path: result false, values is the error text, status UNKNOWN
        self._status(client, {"id": goal_id}, "error", reason)
        msg: dict[str, Any] = {
            "op": "action_result",
            "action": action,
            "values": reason,
            "status": 0,
            "result": False,
        }
        if goal_id is not None:
            msg["id"] = goal_id
        client.send(msg)

    def _op_set_level(self, client: Client, message: dict[str, Any]) -> None:
        """Status verbosity: accepted; this simulator only ever reports errors."""

    # --- robot status and faults ----------------------------------------------------------

    def control(self, command: dict[str, Any]) -> None:
        """Apply a fault-injection command (see the module docstring)."""
        name = command.get("command")
        if name == "block_next":
            self.sim.block_next(int(command.get("count", 1)))
        elif name == "slow_start":
            goals = command.get("goals")
            self.sim.set_slow_start(float(command.get("seconds", 5.0)), None if goals is None else int(goals))
        elif name == "disconnect":
            seconds = command.get("seconds")
            # drop after this message is handled, so the publisher is not cut mid-frame
            asyncio.get_running_loop().call_soon(self.sim.drop_link, None if seconds is None else float(seconds))
        elif name == "battery":
            self.sim.set_battery(float(command["level"]))
        elif name == "reset":
            self.sim.block_next(0)
            self.sim.set_slow_start(0.0)
        else:
            raise ProtocolError(f"unknown simulator command {name!r}")

    def pose_message(self) -> dict[str, Any]:
        covariance = [0.0] * 36
        covariance[0] = covariance[7] = 0.05  # x, y variance (m^2)
        covariance[35] = 0.02  # yaw variance (rad^2)
        return {
            "header": {"stamp": ros_time(time.time()), "frame_id": self.names.frame_id},
            "pose": {"pose": pose_msg(self.sim.pose), "covariance": covariance},
        }

    def battery_message(self) -> dict[str, Any]:
        level = self.sim.battery
        return {
            "header": {"stamp": ros_time(time.time()), "frame_id": "base_link"},
            "voltage": round(22.0 + 3.2 * level, 2),
            "temperature": 28.0,
            "current": -1.5 if self.sim.moving else -0.4,
            "charge": round(20.0 * level, 3),
            "capacity": 20.0,
            "design_capacity": 20.0,
            "percentage": level,
            "power_supply_status": 2,  # DISCHARGING
            "power_supply_health": 1,  # GOOD
            "power_supply_technology": 2,  # LION
            "present": True,
            "cell_voltage": [],
            "cell_temperature": [],
            "location": "base",
            "serial_number": f"SIM-{self.sim.robot_id}",
        }

    async def _publish_status(self) -> None:
        last_pose: Pose2D | None = None
        last_pose_at = last_battery_at = 0.0
        while True:
            now = time.monotonic()
            if self.sim.pose != last_pose or now - last_pose_at >= self.idle_period_s:
                last_pose, last_pose_at = self.sim.pose, now
                self.latched[self.names.pose_topic] = self.pose_message()
                self.publish(self.names.pose_topic, self.latched[self.names.pose_topic])
            if now - last_battery_at >= self.idle_period_s:
                last_battery_at = now
                self.latched[self.names.battery_topic] = self.battery_message()
                self.publish(self.names.battery_topic, self.latched[self.names.battery_topic])
            await asyncio.sleep(self.pose_period_s)


def _required(message: dict[str, Any], key: str) -> str:
    value = message.get(key)
    if not isinstance(value, str) or not value:
        raise ProtocolError(f"Expected a string for field '{key}' in {message.get('op')}")
    return value


def _string_data(msg: dict[str, Any], topic: str) -> str:
    data = msg.get("data")
    if not isinstance(data, str):
        raise ProtocolError(f"{topic} takes std_msgs/String: msg.data must be a string")
    return data


def _duration(seconds: float) -> dict[str, int]:
    """builtin_interfaces/Duration."""
    return ros_time(max(0.0, seconds))


def make_simulator(
    hall: HallMap, robot_id: str, port: int = 0, speed_factor: float = 1.0, tick_s: float = 0.05
) -> RosbridgeSimulator:
    """A simulator server for the robot `robot_id` of `hall` (not started)."""
    robot = next((r for r in hall.robots if r.id == robot_id), None)
    if robot is None:
        known = ", ".join(r.id for r in hall.robots)
        raise SystemExit(f"unknown robot '{robot_id}'; the hall map has: {known}")
    return RosbridgeSimulator(SimRobot(hall, robot, speed_factor=speed_factor, tick_s=tick_s), port=port)


async def _serve(args: argparse.Namespace) -> None:
    hall = load_catalog(args.catalog_dir).hall
    server = make_simulator(hall, args.robot, args.port, args.speed_factor)
    server.host = args.host
    server.sim.block_next(args.block_next)
    server.sim.set_slow_start(args.slow_start)
    server.sim.set_battery(args.battery)
    await server.start()
    print(f"rosbridge simulator for {args.robot} listening on {server.url}", flush=True)
    if args.disconnect_after is not None:
        loop = asyncio.get_running_loop()
        loop.call_later(args.disconnect_after, server.sim.drop_link, args.disconnect_for)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="rosbridge v2 simulator of one greeter robot")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--robot", required=True, help="robot id on the hall map, e.g. robot-north")
    parser.add_argument("--catalog-dir", type=Path, default=DEFAULT_CATALOG_DIR)
    parser.add_argument("--speed-factor", type=float, default=1.0, help="times walking speed (1 m/s)")
    parser.add_argument("--block-next", type=int, default=0, help="abort this many goals as blocked")
    parser.add_argument("--slow-start", type=float, default=0.0, help="seconds before each goal moves")
    parser.add_argument("--battery", type=float, default=0.9, help="battery level 0..1")
    parser.add_argument("--disconnect-after", type=float, default=None, help="drop the link after S s")
    parser.add_argument("--disconnect-for", type=float, default=None, help="for S s (default: for good)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
