"""One-time notice benchmarks: notice creation and PDF rendering, p50 as the median of several runs.

Prints a Markdown table. Targets: creation p50 ≤ 50 ms, PDF rendering p50 ≤ 500 ms (one matter).
Usage: python bench/notice_bench.py [--runs 5] [--db-url postgresql://...]
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog.loader import Catalog, load_catalog  # noqa: E402
from knowledge.api.routes import notices  # noqa: E402
from knowledge.notices import UNKNOWN, NoticeCreate, NoticePublic, NoticeService, theme_key  # noqa: E402
from knowledge.notices.render import render_pdf  # noqa: E402


def random_request(catalog: Catalog, rng: random.Random) -> NoticeCreate:
    """A matter with random answers, 不清楚 included."""
    matter = rng.choice(sorted(catalog.matters.values(), key=lambda m: m.id))
    answers = {s.key: rng.choice([*s.options, UNKNOWN]) for s in matter.situations}
    return NoticeCreate(matter_id=matter.id, answers=answers, channel="bench")


def run_p50(action: Callable[[], object], iterations: int, runs: int) -> tuple[float, list[float]]:
    """Median over `runs` of each run's p50 in ms, and the per-run p50s."""
    action()  # warm up: imports, font loading, prepared statements
    per_run = []
    for _ in range(runs):
        samples = []
        for _ in range(iterations):
            started = time.perf_counter()
            action()
            samples.append((time.perf_counter() - started) * 1000)
        per_run.append(statistics.median(samples))
    return statistics.median(per_run), per_run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--create-iterations", type=int, default=100)
    parser.add_argument("--pdf-iterations", type=int, default=5)
    parser.add_argument("--db-url", default="", help="empty: SQLite in a scratch directory")
    args = parser.parse_args()

    catalog = load_catalog()
    service = NoticeService.open(
        args.db_url, Path(tempfile.mkdtemp(prefix="notice-bench-")), "http://127.0.0.1:8000"
    )
    app = FastAPI()
    app.include_router(notices.router)
    app.state.catalog = catalog
    app.state.notices = service
    client = TestClient(app)
    rng = random.Random(7)
    backend = service.repository.engine.dialect.name
    rows: list[tuple[str, float, list[float], str]] = []

    def issue() -> None:
        service.issue(catalog, random_request(catalog, rng))

    def post() -> None:
        response = client.post("/v1/notices", json=random_request(catalog, rng).model_dump())
        assert response.status_code == 201, response.text

    p50, runs = run_p50(issue, args.create_iterations, args.runs)
    rows.append((f"create notice, in process ({backend})", p50, runs, "≤ 50"))
    p50, runs = run_p50(post, args.create_iterations, args.runs)
    rows.append((f"create notice, POST /v1/notices ({backend})", p50, runs, "≤ 50"))

    def notice_for(request: NoticeCreate) -> NoticePublic:
        return service.issue(catalog, request)

    passport = catalog.matters["crj-passport-issue"]
    house = catalog.matters["bdc-new-house-transfer"]
    theme = catalog.themes["theme-open-restaurant"]
    cases = [
        (
            "render PDF, 普通护照签发",
            notice_for(
                NoticeCreate(
                    matter_id=passport.id, answers={s.key: s.options[0] for s in passport.situations}
                )
            ),
            "≤ 500",
        ),
        (
            "render PDF, 商品房转移登记, all 不清楚",
            notice_for(NoticeCreate(matter_id=house.id, answers={s.key: UNKNOWN for s in house.situations})),
            "≤ 500",
        ),
        (
            "render PDF, 开饭店一件事 (5 matters), all 不清楚",
            notice_for(
                NoticeCreate(
                    theme_id=theme.id,
                    answers={
                        theme_key(m, s.key): UNKNOWN
                        for m in theme.matters
                        for s in catalog.matters[m].situations
                    },
                )
            ),
            "(theme: informative)",
        ),
    ]
    for name, notice, target in cases:
        p50, runs = run_p50(functools.partial(render_pdf, notice), args.pdf_iterations, args.runs)
        rows.append((f"{name} ({len(notice.materials)} materials)", p50, runs, target))

    load1, load5, _ = os.getloadavg()
    machine = f"Python {platform.python_version()}, {os.cpu_count()} cores"
    print(f"\n{machine}, load average {load1:.2f} / {load5:.2f}")
    print(f"{args.runs} runs; p50 of each run, then the median of those.\n")
    print("| measure | p50 (ms) | per-run p50 (ms) | target (ms) |")
    print("|---|---:|---|---|")
    for name, p50, runs, target in rows:
        print(f"| {name} | {p50:.1f} | {', '.join(f'{r:.1f}' for r in runs)} | {target} |")
    service.close()


if __name__ == "__main__":
    main()
