"""E5Encoder encodes a single query on one OpenMP thread (the cheapest in CPU, and immune to a
busy neighbour) and batches on every thread, with the same vectors either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from knowledge.retrieval.encoders import E5Encoder

QUERIES = ["驾照快到期了怎么换", "退休了公积金怎么取出来", "新买的车怎么上牌"]
ROOT = Path(__file__).resolve().parents[3]

# In a fresh process set up as the service is (knowledge.main imported first: spaCy's thinc then
# imports torch when it is installed, whose libgomp the engine ends up running on), count the
# process's threads: an OpenMP team of more than one thread leaves its workers behind.
PROBE = """
import json, os, threading
import knowledge.main  # noqa: F401  (the service's imports, in the service's order)
from knowledge.retrieval.encoders import E5Encoder

encoder = E5Encoder()
threads = lambda: len(os.listdir("/proc/self/task"))
counts = {"before": threads()}

def search_thread():
    encoder.encode_queries(["驾照快到期了怎么换"])
    encoder.encode_queries(["新买的车怎么上牌"])
    counts["after queries"] = threads()
    encoder.encode_passages(["机动车驾驶证期满换证", "住房公积金提取", "护照签发"])
    counts["after a batch"] = threads()

thread = threading.Thread(target=search_thread)
thread.start()
thread.join()
print(json.dumps(counts))
"""


def test_a_query_adds_no_openmp_worker_and_a_batch_does() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts["after queries"] == counts["before"] + 1  # the search thread itself, nothing else
    if (os.cpu_count() or 1) > 1:  # the probe sees teams: a batch spreads over the cores
        assert counts["after a batch"] > counts["after queries"]


def test_the_thread_count_does_not_change_the_vectors() -> None:
    one, two = E5Encoder(query_threads=1), E5Encoder(query_threads=2)
    for text in QUERIES:
        assert np.array_equal(one.encode_queries([text]), two.encode_queries([text]))
