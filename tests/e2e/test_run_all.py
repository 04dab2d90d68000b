"""`make run`'s process set: honcho starts all four services from the Procfile, each answers
its health check over real HTTP, and Ctrl-C (SIGINT) stops all of them."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.services import SECRETS

ROOT = Path(__file__).resolve().parents[2]
# Ports apart from the defaults, so a developer's running `make run` does not interfere;
# E2E_PORT_OFFSET as in services.py, so sessions side by side do not either.
_OFFSET = int(os.environ.get("E2E_PORT_OFFSET", "0"))
_BASE = {"KNOWLEDGE_PORT": 18000, "ROBOT_BRIDGE_PORT": 18100, "ACTIONS_PORT": 15055, "RASA_PORT": 15005}
PORTS = {name: port + _OFFSET for name, port in _BASE.items()}
HEALTH = {
    "knowledge": f"http://127.0.0.1:{PORTS['KNOWLEDGE_PORT']}/healthz",
    "bridge": f"http://127.0.0.1:{PORTS['ROBOT_BRIDGE_PORT']}/healthz",
    "actions": f"http://127.0.0.1:{PORTS['ACTIONS_PORT']}/health",
    "rasa": f"http://127.0.0.1:{PORTS['RASA_PORT']}/status?token={SECRETS['RASA_API_TOKEN']}",
}

pytestmark = pytest.mark.e2e


def _environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({name: str(port) for name, port in PORTS.items()})
    env.update(
        HOST="127.0.0.1",
        RASA_MODEL=str(ROOT / "models" / "current.tar.gz"),
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{PORTS['ACTIONS_PORT']}/webhook",
        TRACKER_DIALECT="sqlite",
        TRACKER_URL=f"sqlite:///{tmp_path / 'tracker.db'}",
        RASA_TELEMETRY_ENABLED="false",
    )
    env.update(SECRETS)  # the Makefile would export them; honcho alone does not
    return env


def _wait_healthy(deadline: float) -> dict[str, int]:
    status: dict[str, int] = {}
    while time.monotonic() < deadline and len(status) < len(HEALTH):
        for name, url in HEALTH.items():
            if name in status:
                continue
            try:
                response = httpx.get(url, timeout=2)
            except httpx.HTTPError:
                continue
            if response.status_code == 200:
                status[name] = response.status_code
        time.sleep(1)
    return status


def test_all_four_processes_start_answer_and_stop_on_ctrl_c(tmp_path: Path) -> None:
    assert (ROOT / "models" / "current.tar.gz").exists(), "run `make setup` first"
    process = subprocess.Popen(
        [str(ROOT / ".venv-app" / "bin" / "honcho"), "start", "-f", "Procfile"],
        cwd=ROOT,
        env=_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        healthy = _wait_healthy(time.monotonic() + 600)  # Rasa loads for minutes on a busy machine
        assert set(healthy) == set(HEALTH), f"not healthy: {set(HEALTH) - set(healthy)}"
        rasa_status = httpx.get(HEALTH["rasa"], timeout=5).json()
        assert rasa_status["model_file"].endswith("current.tar.gz")
        reply = httpx.post(
            f"http://127.0.0.1:{PORTS['RASA_PORT']}/webhooks/rest/webhook",
            json={"sender": "e2e-greeter", "message": "你好"},
            timeout=10,
        ).json()
        assert "导办助手" in reply[0]["text"]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            pytest.fail(f"honcho did not stop within 30 s of Ctrl-C:\n{output[-3000:]}")
    for url in HEALTH.values():
        with pytest.raises(httpx.HTTPError):
            httpx.get(url, timeout=1)
