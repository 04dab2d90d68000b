"""Simulated robots, kept out of the production path: `main.py` injects a `SimFleet` into the
bridge when a robot has no real URL (mode "sim"); tests inject one the same way.

- `robot.py`: `SimRobot`, a robot that walks the hall map's waypoint graph;
- `inprocess.py`: `InProcessDriver`, the `RobotDriver` over a `SimRobot` in this process;
- `rosbridge.py`: a rosbridge v2 server in front of a `SimRobot` (`python -m robot_bridge.sim.rosbridge`).
"""

from __future__ import annotations

from catalog.models import HallMap, Robot
from robot_bridge.drivers import Backoff, RobotDriver
from robot_bridge.settings import Settings
from robot_bridge.sim.inprocess import InProcessDriver
from robot_bridge.sim.robot import SimRobot
from robot_bridge.sim.rosbridge import RosbridgeSimulator


class SimFleet:
    """Simulated robots for the robots without a real one: a driver, or a rosbridge URL to dial."""

    def __init__(self, settings: Settings, hall: HallMap) -> None:
        self.settings = settings
        self.hall = hall
        self.sims: dict[str, SimRobot] = {}
        self.servers: dict[str, RosbridgeSimulator] = {}

    async def start_robot(self, robot: Robot, backoff: Backoff) -> RobotDriver | str:
        settings = self.settings
        sim = SimRobot(self.hall, robot, speed_factor=settings.sim_speed_factor, tick_s=settings.sim_tick_s)
        self.sims[robot.id] = sim
        if settings.sim_transport == "direct":
            await sim.start()
            return InProcessDriver(sim, backoff)
        # the real protocol, end to end: the bridge dials this server like a real robot
        server = RosbridgeSimulator(sim, host="127.0.0.1", port=0, names=settings.ros_interfaces())
        await server.start()
        self.servers[robot.id] = server
        return server.url

    async def stop(self) -> None:
        for server in self.servers.values():
            await server.stop()
        for sim in self.sims.values():
            await sim.stop()
