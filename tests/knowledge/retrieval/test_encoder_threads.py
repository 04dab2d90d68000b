"""E5Encoder encodes a single query on one OpenMP thread (the cheapest in CPU, and immune to
a busy neighbour) and batches on every thread, with the same vectors either way."""

from __future__ import annotations

import threading

import numpy as np

from knowledge.retrieval.encoders import E5Encoder

QUERIES = ["驾照快到期了怎么换", "退休了公积金怎么取出来", "新买的车怎么上牌"]


def test_a_query_runs_on_one_thread_and_a_batch_on_all_of_them() -> None:
    encoder = E5Encoder()
    batch_threads = int(encoder._omp.omp_get_max_threads())
    seen: dict[str, int] = {}

    def on_a_search_thread() -> None:  # the setting is per calling thread, as the service searches
        encoder.encode_queries(QUERIES[:1])
        seen["query"] = int(encoder._omp.omp_get_max_threads())
        encoder.encode_passages(QUERIES)
        seen["passages"] = int(encoder._omp.omp_get_max_threads())
        encoder.encode_queries(QUERIES)
        seen["batch"] = int(encoder._omp.omp_get_max_threads())

    thread = threading.Thread(target=on_a_search_thread)
    thread.start()
    thread.join()
    assert seen == {"query": 1, "passages": batch_threads, "batch": batch_threads}


def test_the_thread_count_does_not_change_the_vectors() -> None:
    one, two = E5Encoder(query_threads=1), E5Encoder(query_threads=2)
    for text in QUERIES:
        assert np.array_equal(one.encode_queries([text]), two.encode_queries([text]))
