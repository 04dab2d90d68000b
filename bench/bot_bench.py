"""End-to-end turn latency through Rasa's REST webhook with all services up (make bench-bot).

Sequential p50/p95 over a fixed question list with each service's CPU time per turn (from
/proc/<pid>/stat), then N concurrent senders for a bounded time (throughput, p95, errors).
Every request goes to 127.0.0.1 only. `--attach rasa=PID,actions=PID,knowledge=PID --rasa-url URL`
measures an already running stack instead of starting one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.e2e.services import Services, url  # noqa: E402

QUESTIONS = [q["text"] for q in yaml.safe_load(Path("tests/e2e/questions.yml").read_text(encoding="utf-8"))]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[int(share * (len(ordered) - 1))]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its reaped children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / CLOCK_TICKS


def sequential(rounds: int, pids: dict[str, int], base_url: str) -> None:
    samples = []
    run = f"{time.time():.0f}"  # fresh senders on every run, also against a stack that ran before
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for round_ in range(rounds):
            for i, q in enumerate(QUESTIONS):
                started = time.perf_counter()
                body = {"sender": f"seq-{run}-{round_}-{i}", "message": q}
                client.post("/webhooks/rest/webhook", json=body).raise_for_status()
                samples.append((time.perf_counter() - started) * 1000)
    p50, p95 = statistics.median(samples), percentile(samples, 0.95)
    print(f"sequential: {len(samples)} turns, p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    per_turn = {name: (cpu_seconds(pid) - before[name]) * 1000 / len(samples) for name, pid in pids.items()}
    parts = ", ".join(f"{name} {ms:.1f} ms" for name, ms in per_turn.items())
    print(f"CPU per turn: {parts}; all {sum(per_turn.values()):.1f} ms")


async def load(base_url: str, senders: int, seconds: float, timeout: float = 60) -> tuple[list[float], int]:
    """`senders` REST senders asking the end-to-end questions in turn for `seconds`: each turn's
    latency in ms, and the turns that failed or got no reply."""
    samples: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    run = f"{time.time():.0f}"  # new conversations on every run: Rasa's cost grows with a conversation's length

    async def sender(n: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base_url, timeout=timeout) as client:
            i = 0
            while time.monotonic() < deadline:
                started = time.perf_counter()
                body = {"sender": f"load-{run}-{n}", "message": QUESTIONS[(n + i) % len(QUESTIONS)]}
                try:
                    response = await client.post("/webhooks/rest/webhook", json=body)
                    response.raise_for_status()
                    errors += 0 if response.json() else 1
                except httpx.HTTPError:
                    errors += 1
                samples.append((time.perf_counter() - started) * 1000)
                i += 1

    await asyncio.gather(*(sender(n) for n in range(senders)))
    return samples, errors


async def concurrent(senders: int, seconds: float, base_url: str) -> None:
    started = time.monotonic()
    samples, errors = await load(base_url, senders, seconds, timeout=30)
    elapsed = time.monotonic() - started
    print(
        f"{senders} concurrent senders for {seconds:.0f} s: {len(samples)} turns, "
        f"{len(samples) / elapsed:.1f} turns/s, p50 {statistics.median(samples):.0f} ms, "
        f"p95 {percentile(samples, 0.95):.0f} ms, errors {errors}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/bot_bench.py")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--attach", help="name=PID,... of a running stack (no services are started)")
    parser.add_argument("--rasa-url", help="Rasa of the running stack")
    args = parser.parse_args()
    if args.attach:
        pids = {name: int(pid) for name, pid in (part.split("=") for part in args.attach.split(","))}
        sequential(args.rounds, pids, args.rasa_url)
        if args.senders:
            asyncio.run(concurrent(args.senders, args.seconds, args.rasa_url))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Path(tmp))
        try:
            services.start("knowledge", "bridge", "actions", "rasa")
            pids = {name: services.processes[name].pid for name in ("rasa", "actions", "knowledge", "bridge")}
            sequential(args.rounds, pids, url("rasa"))
            asyncio.run(concurrent(args.senders, args.seconds, url("rasa")))
        finally:
            services.stop(*list(services.processes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
