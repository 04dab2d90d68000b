"""Secrets at start-up: every service refuses development defaults when HOST is not loopback,
and the Makefile passes on the same defaults the code knows (common/security.py)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from common.security import DEV_SECRETS, InsecureConfiguration, is_loopback, refuse_default_secrets

ROOT = Path(__file__).resolve().parents[2]
APP, BOT = ROOT / ".venv-app" / "bin", ROOT / ".venv-bot" / "bin"
# the four entry points as the Procfile starts them (ports that are never bound: they must not start)
ENTRY_POINTS = {
    "knowledge service": [str(APP / "uvicorn"), "knowledge.main:app", "--host", "127.0.0.1", "--port", "1"],
    "robot bridge": [str(APP / "uvicorn"), "robot_bridge.main:app", "--host", "127.0.0.1", "--port", "1"],
    "action server": [str(BOT / "python"), "-m", "actions.server", "--port", "1"],
    "rasa": [str(BOT / "python"), "-m", "channels.serve", "--port", "1"],
}


def _environment(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DEV_SECRETS}
    env.update(overrides)
    return env


@pytest.mark.parametrize("service", sorted(ENTRY_POINTS))
def test_a_service_refuses_default_secrets_on_a_public_host(service: str) -> None:
    result = subprocess.run(
        ENTRY_POINTS[service], cwd=ROOT, env=_environment(HOST="0.0.0.0"), capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert (
        f"{service}: refusing to start on HOST=0.0.0.0 with development default secrets: "
        "RASA_API_TOKEN, ACTIONS_SECRET, ROBOT_WEBHOOK_TOKEN" in result.stderr
    ), result.stderr[-2000:]
    assert "docs/security.md" in result.stderr


def test_one_default_left_is_enough_to_refuse() -> None:
    env = {name: f"{name.lower()}-0f8e2c4b9a" for name in DEV_SECRETS} | {"HOST": "10.0.0.5"}
    refuse_default_secrets("test", env)  # every secret set: starts
    with pytest.raises(InsecureConfiguration, match=r"HOST=10\.0\.0\.5 .*: WECHAT_TOKEN\. Set"):
        refuse_default_secrets("test", env | {"WECHAT_TOKEN": DEV_SECRETS["WECHAT_TOKEN"]})
    with pytest.raises(InsecureConfiguration, match="TICKET_ENCRYPTION_KEY"):
        refuse_default_secrets("test", {k: v for k, v in env.items() if k != "TICKET_ENCRYPTION_KEY"})
    refuse_default_secrets("test", {"HOST": "127.0.0.1"})  # defaults on loopback: a developer's make run


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False),
     ("::", False), ("10.0.0.5", False), ("hall-server", False), ("", False)],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_makefile_exports_every_secret_with_the_codes_default() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    exported = dict(re.findall(r"^export (\w+) \?= (\S+)$", makefile, re.MULTILINE))
    assert {name: exported.get(name) for name in DEV_SECRETS} == DEV_SECRETS
    assert exported.get("RETENTION_DAYS") == "180"


@pytest.mark.parametrize(
    ("service", "command", "env"),
    [
        ("rasa", [str(BOT / "python"), "-m", "channels.serve", "--interface", "0.0.0.0", "--port", "1"], {}),
        ("action server", [str(BOT / "python"), "-m", "actions.server", "--port", "1"], {"SANIC_HOST": "0.0.0.0"}),
    ],
)
def test_the_bound_interface_counts_not_only_host(service: str, command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        command, cwd=ROOT, env=_environment(HOST="127.0.0.1", **env), capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and f"{service}: refusing to start on HOST=0.0.0.0" in result.stderr
