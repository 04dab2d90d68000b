"""Robot bridge benchmark: guide request -> first robot command, screen update latency, and the
bridge's memory and CPU with 10 kiosks and 2 robots connected.

Everything runs on 127.0.0.1: two rosbridge simulators (`python -m robot_bridge.sim.rosbridge`)
and the bridge (uvicorn) as separate processes, so the bridge's own CPU and memory are
measured from /proc. The benchmark listens to each robot's /speech topic over rosbridge
(a rosbridge server relays what is published to every subscriber), so "first robot
command" is the moment "请跟我来" reaches the robot side.

Prints a Markdown table to paste into docs/robot-bridge.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

REPO = Path(__file__).resolve().parents[1]
TOKEN = "bench-token"
ROBOTS = {"robot-north": "screen-north", "robot-south": "screen-south"}
SCREENS = ["screen-north", "screen-south", "screen-west", "screen-east"]
DESTINATIONS = [
    "sb-windows",
    "gjj-windows",
    "crj-windows",
    "sw-windows",
    "restroom",
    "consult-desk",
    "bdc-windows",
]
ROWS: list[tuple[str, str]] = []


def report(name: str, value: str) -> None:
    ROWS.append((name, value))
    print(f"{name:<52} {value}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def p50_p95(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms (n={len(ordered)})"


def proc_usage(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) and resident memory (MiB) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss_kib = next(
        int(line.split()[1])
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if line.startswith("VmRSS")
    )
    return cpu, rss_kib / 1024


@dataclass
class Listener:
    """Messages received on one WebSocket, with their arrival times."""

    received: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self, ws: ClientConnection) -> None:
        async for raw in ws:
            self.received.append((time.perf_counter(), json.loads(raw)))
            self.changed.set()

    async def wait_for(self, match: Any, after: float, timeout: float = 10.0) -> float:
        """Arrival time of the first message after `after` that `match`es."""
        deadline = time.perf_counter() + timeout
        while True:
            for at, message in self.received:
                if at >= after and match(message):
                    return at
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no matching message")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                pass


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def wait_ready(client: httpx.AsyncClient, url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            health = (await client.get(f"{url}/healthz")).json()
            if all(health["robots_connected"].values()):
                return
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        await asyncio.sleep(0.2)
    raise TimeoutError("the bridge did not connect its robots")


async def wait_idle(client: httpx.AsyncClient, url: str, robot_id: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        robot = (await client.get(f"{url}/v1/robots/{robot_id}")).json()
        if robot["state"] == "idle" and robot["current_task"] is None:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{robot_id} did not come home")


async def bench(guides: int, screen_updates: int, speed_factor: float) -> None:
    sim_ports = {robot: free_port() for robot in ROBOTS}
    bridge_port = free_port()
    url = f"http://127.0.0.1:{bridge_port}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    processes = [
        start(
            [
                sys.executable,
                "-m",
                "robot_bridge.sim.rosbridge",
                "--port",
                str(port),
                "--robot",
                robot,
                "--speed-factor",
                str(speed_factor),
            ],
            env,
        )
        for robot, port in sim_ports.items()
    ]
    bridge_env = {
        **env,
        "ROBOT_BRIDGE_MODE": "real",
        "ROBOT_BRIDGE_ROBOTS_URLS": ",".join(f"{r}=ws://127.0.0.1:{p}" for r, p in sim_ports.items()),
        "ROBOT_BRIDGE_TOKEN": TOKEN,
        "ROBOT_BRIDGE_ARRIVAL_WAIT_S": "0.1",
        "ROBOT_BRIDGE_RECONNECT_INITIAL_S": "0.2",
    }
    bridge = start(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "robot_bridge.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(bridge_port),
            "--log-level",
            "warning",
        ],
        bridge_env,
    )
    processes.append(bridge)
    tasks: list[asyncio.Task[None]] = []
    try:
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10) as client:
            await wait_ready(client, url)
            # 10 kiosks over the 4 screens, and a /speech listener on each robot
            kiosks: dict[str, list[Listener]] = {s: [] for s in SCREENS}
            for index in range(10):
                screen = SCREENS[index % len(SCREENS)]
                listener = Listener()
                ws = await connect(f"ws://127.0.0.1:{bridge_port}/ws/screens/{screen}")
                tasks.append(asyncio.create_task(listener.run(ws)))
                kiosks[screen].append(listener)
            speech: dict[str, Listener] = {}
            for robot, port in sim_ports.items():
                ws = await connect(f"ws://127.0.0.1:{port}")
                await ws.send(
                    json.dumps(
                        {"op": "subscribe", "id": "bench", "topic": "/speech", "type": "std_msgs/String"}
                    )
                )
                speech[robot] = Listener()
                tasks.append(asyncio.create_task(speech[robot].run(ws)))
            await asyncio.sleep(1.0)

            cpu0, rss_idle = proc_usage(bridge.pid)
            await asyncio.sleep(5.0)
            cpu1, rss_idle = proc_usage(bridge.pid)
            report("bridge CPU, idle (10 kiosks, 2 robots connected)", f"{100 * (cpu1 - cpu0) / 5.0:.1f} %")
            report("bridge memory (RSS), idle", f"{rss_idle:.0f} MiB")

            first_command: list[float] = []
            guide_screen: list[float] = []

            async def guide_loop(robot: str, count: int) -> None:
                screen = ROBOTS[robot]
                for i in range(count):
                    await wait_idle(client, url, robot)
                    destination = DESTINATIONS[i % len(DESTINATIONS)]
                    sent = time.perf_counter()
                    response = await client.post(
                        f"{url}/v1/guide",
                        json={
                            "destination": destination,
                            "robot_id": robot,
                            "screen_id": screen,
                            "session_id": f"b{i}",
                        },
                    )
                    body = response.json()
                    assert body["robot_status"] == "dispatched", body
                    said = await speech[robot].wait_for(
                        lambda m: m.get("op") == "publish" and m["msg"]["data"].startswith("请跟我来"), sent
                    )
                    shown = await kiosks[screen][0].wait_for(
                        lambda m, g=body["guide_id"]: m.get("guide_id") == g, sent
                    )
                    first_command.append((said - sent) * 1000)
                    guide_screen.append((shown - sent) * 1000)

            cpu_start, wall_start = proc_usage(bridge.pid)[0], time.perf_counter()
            await asyncio.gather(*(guide_loop(robot, guides // 2) for robot in ROBOTS))
            for robot in ROBOTS:
                await wait_idle(client, url, robot)
            report("guide request -> first robot command (请跟我来 at the robot)", p50_p95(first_command))
            report("guide request -> route on the robot's screen", p50_p95(guide_screen))

            # screen-only guides: time until every kiosk of the screen has the route
            all_kiosks: list[float] = []
            for i in range(screen_updates):
                screen = SCREENS[i % len(SCREENS)]
                sent = time.perf_counter()
                await client.post(
                    f"{url}/v1/guide",
                    json={
                        "destination": DESTINATIONS[i % len(DESTINATIONS)],
                        "screen_id": screen,
                        "session_id": f"s{i}",
                    },
                )
                arrivals = [
                    await k.wait_for(lambda m: m.get("type") == "route" and m.get("sent_at", 0) > 0, sent)
                    for k in kiosks[screen]
                ]
                all_kiosks.append((max(arrivals) - sent) * 1000)
            wall = time.perf_counter() - wall_start
            cpu_end, rss_busy = proc_usage(bridge.pid)
            report("screen update latency (all kiosks of a screen)", p50_p95(all_kiosks))
            report(
                "bridge CPU, during the guides (2 robots moving)",
                f"{100 * (cpu_end - cpu_start) / wall:.1f} %",
            )
            report("bridge memory (RSS), after the guides", f"{rss_busy:.0f} MiB")
    finally:
        for task in tasks:
            task.cancel()
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--guides", type=int, default=20, help="robot guides, split over both robots")
    parser.add_argument("--screen-updates", type=int, default=40, help="screen-only guides")
    parser.add_argument("--speed-factor", type=float, default=50.0, help="simulated robots' speed x walking")
    args = parser.parse_args()
    print(
        f"robot bridge benchmark, {os.cpu_count()} cores, simulated robots at {args.speed_factor:g}x walking"
    )
    asyncio.run(bench(args.guides, args.screen_updates, args.speed_factor))
    print("\n| measure | result |\n|---|---|")
    for name, value in ROWS:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
