"""End-to-end turn latency through Rasa's REST webhook with all services up (make bench-bot).

Sequential p50/p95 over a fixed question list, then N concurrent senders for a bounded time
(throughput, p95, errors). Every request goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
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


def sequential(rounds: int) -> None:
    samples = []
    with httpx.Client(base_url=url("rasa"), timeout=30) as client:
        for round_ in range(rounds):
            for i, q in enumerate(QUESTIONS):
                started = time.perf_counter()
                client.post("/webhooks/rest/webhook", json={"sender": f"seq-{round_}-{i}", "message": q}).raise_for_status()
                samples.append((time.perf_counter() - started) * 1000)
    print(f"sequential: {len(samples)} turns, p50 {statistics.median(samples):.0f} ms, p95 {percentile(samples, 0.95):.0f} ms")


async def concurrent(senders: int, seconds: float) -> None:
    samples: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def sender(n: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url("rasa"), timeout=30) as client:
            i = 0
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.post(
                        "/webhooks/rest/webhook", json={"sender": f"load-{n}", "message": QUESTIONS[(n + i) % len(QUESTIONS)]}
                    )
                    response.raise_for_status()
                    if not response.json():
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                samples.append((time.perf_counter() - started) * 1000)
                i += 1

    started = time.monotonic()
    await asyncio.gather(*(sender(n) for n in range(senders)))
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Path(tmp))
        try:
            services.start("knowledge", "bridge", "actions", "rasa")
            sequential(args.rounds)
            asyncio.run(concurrent(args.senders, args.seconds))
        finally:
            services.stop(*list(services.processes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
