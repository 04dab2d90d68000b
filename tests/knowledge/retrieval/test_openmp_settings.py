"""The e5 encoder's OpenMP threads sleep rather than spin while waiting (issue #3), unless the
operator says otherwise: importing the retrieval package (as the service does first) sets it."""

from __future__ import annotations

import os
import subprocess
import sys

from knowledge.settings import REPO_ROOT

PROBE = "import knowledge.retrieval.entities, os; print(os.environ['OMP_WAIT_POLICY'])"


def _probe(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_wait_policy_is_passive_by_default() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    assert _probe(env) == "passive"


def test_an_operator_setting_wins() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"} | {"OMP_WAIT_POLICY": "active"}
    assert _probe(env) == "active"
