"""What the domain lexicon costs per search: the same questions through a searcher with and
without it, alternating question by question so that both see the same load (on shared cores
absolute latencies drift; the difference is what this measures). Sample catalog, and a
synthetic catalog of `--scale` matters as in search_bench.py.

    python bench/lexicon_cost.py [--rounds 2] [--scale 20000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace

import numpy as np

from catalog.loader import load_catalog
from knowledge.retrieval import text
from knowledge.retrieval.documents import SearchDoc, catalog_documents
from knowledge.retrieval.embedding_cache import cached_encode
from knowledge.retrieval.engine import HybridSearcher, dense_texts
from knowledge.retrieval.evaluate import load_questions
from knowledge.retrieval.lexicon import load_lexicon
from knowledge.retrieval.service import make_searcher
from knowledge.retrieval.store import encode_all
from knowledge.retrieval.vector_index import FaissIndex
from knowledge.settings import get_settings


def alternate(on: HybridSearcher, off: HybridSearcher, queries: list[str], rounds: int) -> tuple[float, float]:
    """p50 (ms) with and without the lexicon, each question timed on both in turn."""
    times: dict[bool, list[float]] = {True: [], False: []}
    for q in queries[:20]:
        on.search(q)
        off.search(q)
    for round_ in range(rounds):
        for i, q in enumerate(queries):
            order = (on, off) if (i + round_) % 2 == 0 else (off, on)
            for searcher in order:
                started = time.perf_counter()
                searcher.search(q, k=5)
                times[searcher is on].append((time.perf_counter() - started) * 1000)
    return statistics.median(times[True]), statistics.median(times[False])


def _perturb(name: str, rng: random.Random) -> str:
    """A district, a suffix and a number around a real name (as search_bench.py does)."""
    districts = ["朝阳区", "南关区", "宽城区", "二道区", "绿园区", "双阳区", "九台区", "经开区", "高新区", "净月区"]
    suffixes = ["", "（承诺件）", "（即办件）", "（跨省通办）", "（分支机构）", "（网办）"]
    return f"{rng.choice(districts)}{name}{rng.choice(suffixes)}{rng.randint(1, 99)}"


def synthetic(
    docs: list[SearchDoc], size: int, vectors_of: dict[int, list[np.ndarray]]
) -> tuple[list[SearchDoc], np.ndarray, list[int]]:
    """`size` perturbed copies of the matters, their vectors the originals' plus noise."""
    rng = random.Random(0)
    np_rng = np.random.default_rng(0)
    out: list[SearchDoc] = []
    vectors: list[np.ndarray] = []
    owner: list[int] = []
    for i in range(size):
        source = rng.randrange(len(docs))
        doc = docs[source]
        name = _perturb(doc.name, rng)
        out.append(replace(doc, id=f"syn-{i}", name=name, lexical_text=f"{name} {doc.lexical_text}"))
        for vector in vectors_of[source][:3]:
            noisy = vector + np_rng.normal(0, 0.02, vector.shape).astype(np.float32)
            vectors.append(noisy / np.linalg.norm(noisy))
            owner.append(i)
    return out, np.vstack(vectors).astype(np.float32), owner


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/lexicon_cost.py")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--scale", type=int, default=20000)
    args = parser.parse_args()
    settings = get_settings()
    catalog = load_catalog()
    on = make_searcher(catalog, settings)
    plain = replace(catalog, content_hash=f"{catalog.content_hash}-no-lexicon")  # its own index
    off = make_searcher(plain, settings, use_lexicon=False)
    queries = [q.q for q in load_questions()]
    p50_on, p50_off = alternate(on, off, queries, args.rounds)
    print(f"sample catalog: search p50 {p50_on:.1f} ms with the lexicon, {p50_off:.1f} ms without", flush=True)
    if args.scale:
        lexicon = load_lexicon()
        built = {}
        for with_lexicon in (True, False):
            matters = [d for d in catalog_documents(catalog, lexicon if with_lexicon else None) if d.kind == "matter"]
            texts, owner = dense_texts(matters)
            encoded = cached_encode(
                texts, on.encoder.id, on.encoder.dim, settings.data_dir, lambda m: encode_all(on.encoder, m, False)
            )
            vectors_of: dict[int, list[np.ndarray]] = {}
            for row, vector in zip(owner, encoded, strict=True):
                vectors_of.setdefault(row, []).append(vector)
            docs, matrix, synthetic_owner = synthetic(matters, args.scale, vectors_of)
            index = FaissIndex(on.encoder.dim, hnsw_m=32)
            index.build(matrix)
            built[with_lexicon] = HybridSearcher(
                docs, on.encoder, index, synthetic_owner, entities=None, lexicon=lexicon if with_lexicon else None
            )
        p50_on, p50_off = alternate(built[True], built[False], queries, 1)
        print(f"synthetic {args.scale} matters: search p50 {p50_on:.1f} ms with the lexicon, {p50_off:.1f} ms without")
    text.forget_catalog_words()
    return 0


if __name__ == "__main__":
    sys.exit(main())
