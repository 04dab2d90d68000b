"""Scaling of the cluster (make bench-cluster): turns per second, p95 and CPU per turn with 1, 2
and 3 Rasa replicas behind HAProxy, and the single-process services of `make run` as the baseline.

CPU per turn is the CPU time (user + system, from /proc) of every process of the deployment,
stores and balancer included, during the load, divided by the turns answered. Every request
goes to 127.0.0.1 only; ports are shifted by E2E_PORT_OFFSET.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bot_bench import load, percentile  # noqa: E402
from tests.e2e.services import Services, url  # noqa: E402
from tools.cluster import Cluster, Ports  # noqa: E402

OFFSET = int(os.environ.get("E2E_PORT_OFFSET", "0"))
TICKS = os.sysconf("SC_CLK_TCK")


def _tree_cpu_seconds(roots: Iterable[int]) -> float:
    """CPU seconds used so far by the processes under `roots` (themselves included)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    wanted, total = set(roots), 0.0
    for pid in cpu:
        walk = pid
        while walk > 1 and walk not in wanted:
            walk = parents.get(walk, 0)
        if walk in wanted:
            total += cpu[pid]
    return total


def measure(label: str, base: str, roots: list[int], senders: int, seconds: float) -> None:
    asyncio.run(load(base, senders, 5))  # warm-up: first turns load caches
    cpu_before, started = _tree_cpu_seconds(roots), time.monotonic()
    samples, errors = asyncio.run(load(base, senders, seconds))
    turns = len(samples)
    elapsed, cpu = time.monotonic() - started, _tree_cpu_seconds(roots) - cpu_before
    print(
        f"| {label} | {turns / elapsed:.1f} | {statistics.median(samples):.0f} | {percentile(samples, 0.95):.0f} "
        f"| {cpu / max(turns, 1) * 1000:.0f} | {errors} |",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/cluster_bench.py")
    parser.add_argument("--replicas", default="1,2,3", help="Rasa replica counts to measure")
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--no-baseline", action="store_true", help="skip the single-process services")
    args = parser.parse_args()
    print("| deployment | turns/s | p50 ms | p95 ms | CPU ms per turn | errors |\n|---|---|---|---|---|---|")
    if not args.no_baseline:
        with tempfile.TemporaryDirectory() as tmp:
            services = Services(Path(tmp))
            try:
                services.start("knowledge", "bridge", "actions", "rasa")
                roots = [p.pid for p in services.processes.values()]
                measure("single process (make run)", url("rasa"), roots, args.senders, args.seconds)
            finally:
                services.stop(*list(services.processes))
    for replicas in [int(n) for n in args.replicas.split(",")]:
        var = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
        var.chmod(0o755)  # PostgreSQL runs as the postgres user
        cluster = Cluster(Ports(offset=OFFSET, rasa_replicas=replicas), var=var)
        try:
            cluster.start()
            roots = [p.pid for p in cluster.processes.values()]
            label = f"cluster, {replicas} Rasa replica{'s' if replicas > 1 else ''}"
            measure(label, f"http://127.0.0.1:{cluster.ports.rasa}", roots, args.senders, args.seconds)
        finally:
            cluster.stop()
            shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
