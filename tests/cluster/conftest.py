"""The cluster of tools/cluster.py with real redis-server, PostgreSQL and HAProxy, for `make test-cluster`."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.cluster import Cluster, Ports, missing_packages

# the test cluster's ports sit 20,000 above a live one's (`make run` and `make run-cluster` hold
# 5005, 8000, …; a test at offset 0 once failed beside them), and move with E2E_PORT_OFFSET like
# every end-to-end test's
OFFSET = 20000 + int(os.environ.get("E2E_PORT_OFFSET", "0"))
# WeChat's passive deadline, raised here: on a loaded 2-core test machine a turn may take longer
# than 4.5 s, and the async path would call the real WeChat API (no network in tests)
WECHAT_PASSIVE_TIMEOUT = "240"
# the actions' calls to the knowledge service, likewise: this test is about losing nothing, not speed
ACTIONS_HTTP_TIMEOUT = "120"
# ... the action server's own answer deadline (Sanic reads SANIC_* from the environment; default 60 s)
SANIC_RESPONSE_TIMEOUT = "280"
SERVER_TIMEOUT = 300


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    missing = missing_packages()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"make test-cluster needs {', '.join(missing)} in CI")
        pytest.skip(f"needs {', '.join(missing)} (apt-get install {' '.join(missing)})")
    if not Path("models/current.tar.gz").exists():
        pytest.fail("no Rasa model: run make setup first")
    if not os.environ.get("RASA_API_TOKEN") or not os.environ.get("ACTIONS_SECRET"):
        # the services' credentials come from the Makefile; without them rasa-1 died at start and
        # the test reported only missing tracker tables
        pytest.fail("run it as make test-cluster: make exports the services' settings and credentials")
    # not under pytest's tmp_path: PostgreSQL runs as the postgres user and must reach its directory
    var = Path(tempfile.mkdtemp(prefix="cluster-test-"))
    var.chmod(0o755)
    os.environ["WECHAT_PASSIVE_TIMEOUT"] = WECHAT_PASSIVE_TIMEOUT
    os.environ["ACTIONS_HTTP_TIMEOUT"] = ACTIONS_HTTP_TIMEOUT
    os.environ["SANIC_RESPONSE_TIMEOUT"] = SANIC_RESPONSE_TIMEOUT
    os.environ.setdefault("WECHAT_TOKEN", "dev-wechat-token")
    running = Cluster(Ports(offset=OFFSET), var=var, server_timeout=SERVER_TIMEOUT)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        if os.environ.get("KEEP_CLUSTER_LOGS"):
            print(f"cluster logs kept in {var / 'logs'}")
        else:
            shutil.rmtree(var, ignore_errors=True)
