"""Catalog benchmark (make bench-catalog): a generated city workbook of N matters imported and
validated in one pass, then a full index build and an incremental rebuild after one matter changes.

Each step runs as its own process, as an operator runs it. Prints a Markdown table for
docs/benchmarks.md, with CPU time beside wall time (wall time is inflated on a busy machine).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

# this checkout, not wherever the package is installed from: the steps run its code
REPO_ROOT = Path(__file__).resolve().parent.parent


def _run(label: str, args: list[str], env: dict[str, str], rows: list[tuple[str, str, str]]) -> str:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"{label} failed:\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rows.append((label, f"{wall:.1f} s", f"{cpu:.1f} s"))
    print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU; {done.stdout.strip().splitlines()[-1]}", file=sys.stderr)
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matters", type=int, default=2000)
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        catalog, data, workbook = root / "catalog", root / "data", root / "city.xlsx"
        env = {**os.environ, "KNOWLEDGE_CATALOG_DIR": str(catalog), "KNOWLEDGE_DATA_DIR": str(data)}
        out = catalog / "matters" / "city.yml"
        _run("generate the workbook", ["-m", "tools.generate_city_sheet", str(workbook), "--matters",
             str(args.matters), "--catalog-dir", str(catalog)], env, rows)
        _run("import (every check, one pass)", ["-m", "catalog.cli", "import", str(workbook),
             "--out", str(out)], env, rows)
        _run("validate", ["-m", "catalog.cli", "validate"], env, rows)
        built = _run("full index build", ["-m", "knowledge.retrieval.cli", "build-index"], env, rows)

        # one matter changes, as an operator's fix of one row would
        document = yaml.safe_load(out.read_text(encoding="utf-8"))
        document["matters"][len(document["matters"]) // 2]["summary"] += "（已更新）"
        out.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        _run("incremental rebuild after one matter changed", ["-m", "knowledge.retrieval.cli", "build-index"],
             env, rows)
        texts = built.strip().splitlines()[-1]
    print(f"\n{args.matters} matters; {texts}; 1-minute load at the end {os.getloadavg()[0]:.1f}\n")
    print("| step | wall | CPU |\n|---|---|---|")
    for label, wall, cpu in rows:
        print(f"| {label} | {wall} | {cpu} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
