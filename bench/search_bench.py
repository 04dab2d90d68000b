"""Search benchmarks (make bench): latency in process and over HTTP, index build time,
service memory, and a synthetic 20,000-matter catalog on HNSW against a BM25-only baseline.

Prints a Markdown table to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx
import numpy as np

from catalog.loader import load_catalog
from knowledge.retrieval import text
from knowledge.retrieval.documents import SearchDoc, catalog_documents
from knowledge.retrieval.embedding_cache import cached_encode
from knowledge.retrieval.encoders import E5Encoder
from knowledge.retrieval.engine import HybridSearcher, dense_texts
from knowledge.retrieval.evaluate import load_questions
from knowledge.retrieval.lexical import BM25
from knowledge.retrieval.lexicon import Lexicon
from knowledge.retrieval.query_cache import CachedQueries
from knowledge.retrieval.service import make_searcher
from knowledge.retrieval.store import build_index, encode_all
from knowledge.retrieval.vector_index import FaissIndex
from knowledge.settings import REPO_ROOT, get_settings

ROWS: list[tuple[str, str, str]] = []


def report(name: str, value: str, target: str = "") -> None:
    ROWS.append((name, value, target))
    print(f"{name:<48} {value:<22} {target}", flush=True)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def bench_in_process(searcher: HybridSearcher, queries: list[str], rounds: int) -> None:
    for q in queries[:20]:
        searcher.search(q)
    samples = []
    for _ in range(rounds):
        for q in queries:
            started = time.perf_counter()
            searcher.search(q, k=5)
            samples.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentiles(samples)
    report("search in process p50 / p95 (ms)", f"{p50:.1f} / {p95:.1f}", "p50 ≤ 15, p95 ≤ 40")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_http(queries: list[str], rounds: int) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "knowledge.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        samples = []
        with httpx.Client(base_url=url, timeout=5) as client:
            for q in queries[:20]:
                client.get("/v1/search", params={"q": q})
            for _ in range(rounds):
                for q in queries:
                    started = time.perf_counter()
                    client.get("/v1/search", params={"q": q, "k": 5}).raise_for_status()
                    samples.append((time.perf_counter() - started) * 1000)
        p50, p95 = percentiles(samples)
        report("search over HTTP p50 / p95 (ms)", f"{p50:.1f} / {p95:.1f}", "p50 ≤ 25, p95 ≤ 40")
        rss = int(Path(f"/proc/{server.pid}/status").read_text().split("VmRSS:")[1].split()[0]) / 1024
        report("knowledge service RSS after the HTTP run (MB)", f"{rss:.0f}", "≤ 600")
    finally:
        server.terminate()
        server.wait(timeout=10)


def bench_build(docs: list[SearchDoc], encoder: E5Encoder) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index, _ = build_index(docs, encoder, Path(tmp), "bench", hnsw_threshold=10**9)
        seconds = time.perf_counter() - started
    report(f"full index build, {len(index)} texts of {len(docs)} records (s)", f"{seconds:.1f}", "≤ 30")


def _perturb(name: str, rng: random.Random) -> str:
    districts = ["朝阳区", "南关区", "宽城区", "二道区", "绿园区", "双阳区", "九台区", "经开区", "高新区", "净月区"]
    suffixes = ["", "（承诺件）", "（即办件）", "（跨省通办）", "（分支机构）", "（网办）"]
    return f"{rng.choice(districts)}{name}{rng.choice(suffixes)}{rng.randint(1, 99)}"


def bench_scale(
    docs: list[SearchDoc], encoder: E5Encoder, size: int, queries: list[str], lexicon: Lexicon | None
) -> None:
    """A synthetic catalog of `size` matters: perturbed copies of the real ones. Their vectors
    are the originals' vectors plus noise, so this measures the index, not the encoder."""
    rng = random.Random(0)
    base = [d for d in docs if d.kind == "matter"]
    texts, owner = dense_texts(base)
    # the originals' vectors from the embedding cache: this measures the index, not the encoder
    vectors = cached_encode(
        texts, encoder.id, encoder.dim, get_settings().data_dir, lambda missing: encode_all(encoder, missing, False)
    )
    by_doc: dict[int, list[np.ndarray]] = {}
    for row, vector in zip(owner, vectors, strict=True):
        by_doc.setdefault(row, []).append(vector)
    np_rng = np.random.default_rng(0)
    synthetic: list[SearchDoc] = []
    synthetic_vectors: list[np.ndarray] = []
    synthetic_owner: list[int] = []
    for i in range(size):
        source = rng.randrange(len(base))
        doc = base[source]
        name = _perturb(doc.name, rng)
        synthetic.append(replace(doc, id=f"syn-{i}", name=name, lexical_text=f"{name} {doc.lexical_text}"))
        for vector in by_doc[source][:3]:  # name, first alias, another text
            noisy = vector + np_rng.normal(0, 0.02, vector.shape).astype(np.float32)
            synthetic_vectors.append(noisy / np.linalg.norm(noisy))
            synthetic_owner.append(i)
    matrix = np.vstack(synthetic_vectors).astype(np.float32)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    index = FaissIndex(encoder.dim, hnsw_m=32)
    index.build(matrix)
    hybrid = HybridSearcher(synthetic, encoder, index, synthetic_owner, entities=None, lexicon=lexicon)
    build_seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report(f"synthetic {size} matters ({len(matrix)} vectors): HNSW + BM25 + pinyin build (s)", f"{build_seconds:.1f}")
    report("synthetic: peak RSS growth during build (MB)", f"{max(rss_after - rss_before, 0):.0f}")

    samples = []
    for q in queries:
        started = time.perf_counter()
        hybrid.search(q, k=5)
        samples.append((time.perf_counter() - started) * 1000)
    hybrid_p50, hybrid_p95 = percentiles(samples)
    report("synthetic: hybrid search p50 / p95 (ms)", f"{hybrid_p50:.1f} / {hybrid_p95:.1f}", "p50 ≤ 30")

    bm25 = BM25([text.tokens(d.lexical_text) for d in synthetic])
    samples = []
    for q in queries:
        started = time.perf_counter()
        bm25.top(text.tokens(q), 5)
        samples.append((time.perf_counter() - started) * 1000)
    bm25_p50, _ = percentiles(samples)
    report("synthetic: BM25-only baseline p50 (ms)", f"{bm25_p50:.1f}")
    report("synthetic: hybrid / BM25-only p50 ratio", f"{hybrid_p50 / bm25_p50:.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/search_bench.py")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=int, default=20000)
    parser.add_argument("--no-lexicon", action="store_true", help="search without the domain lexicon")
    parser.add_argument("--in-process", action="store_true", help="only the in-process and synthetic latencies")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    catalog = load_catalog()
    if args.no_lexicon:  # other dense texts: an index of its own (as evaluate.protocol_searcher)
        catalog = replace(catalog, content_hash=f"{catalog.content_hash}-no-lexicon")
    searcher = make_searcher(catalog, get_settings(), use_lexicon=not args.no_lexicon)
    if isinstance(searcher.encoder, CachedQueries):
        # each round asks the same questions: from the query cache, every round after the first
        # would time no encoding at all (p50 2.3 ms); the bench times a question never seen
        searcher.encoder = searcher.encoder.encoder
    print(f"lexicon: {'off' if searcher.lexicon is None else 'on'}")
    queries = [q.q for q in load_questions()]
    bench_in_process(searcher, queries, args.rounds)
    if not args.in_process:  # the HTTP service runs as configured: with the lexicon
        bench_http(queries, max(1, args.rounds // 2))
    docs = catalog_documents(catalog, searcher.lexicon)
    encoder = searcher.encoder
    assert isinstance(encoder, E5Encoder)
    if not args.in_process:
        bench_build(docs, encoder)
    if args.scale:
        bench_scale(docs, encoder, args.scale, queries, searcher.lexicon)
    print("\n| measure | value | target |\n|---|---|---|")
    for name, value, target in ROWS:
        print(f"| {name} | {value} | {target} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
