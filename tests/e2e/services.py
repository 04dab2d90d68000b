"""Start the four services as real processes on test ports, and stop or restart any of them."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
# E2E_PORT_OFFSET lets two e2e sessions (say, two checkouts) run side by side.
_OFFSET = int(os.environ.get("E2E_PORT_OFFSET", "0"))
# no two bases 100 apart, so sessions with offsets 100 apart never share a port
_BASE_PORTS = {"knowledge": 18010, "bridge": 18020, "actions": 15065, "rasa": 15015}
PORTS = {name: port + _OFFSET for name, port in _BASE_PORTS.items()}


# the WeChat channel's official-account API: the fake that tests/e2e/test_wechat.py serves on this port
WECHAT_API_PORT = 18245 + _OFFSET
WECHAT_ENV = {
    "WECHAT_TOKEN": "test-wechat-token",
    "WECHAT_APP_ID": "wx0123456789abcdef",
    "WECHAT_APP_SECRET": "fake-app-secret-0123456789abcdef",
    "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "WECHAT_API_BASE": f"http://127.0.0.1:{WECHAT_API_PORT}",
}


# The services' secrets in the tests: not the development defaults, so the tests prove the
# values are passed on rather than that both ends happen to share a default.
SECRETS = {
    "RASA_API_TOKEN": "test-rasa-api-token",
    "ACTIONS_SECRET": "test-actions-secret",
    "ROBOT_WEBHOOK_TOKEN": "test-robot-webhook-token",
    "HOTLINE_WEBHOOK_TOKEN": "test-hotline-webhook-token",
    "ROBOT_BRIDGE_TOKEN": "test-robot-bridge-token",
    "TICKET_ENCRYPTION_KEY": "test-ticket-encryption-key",
}
ROBOT_AUTH = {"Authorization": f"Bearer {SECRETS['ROBOT_WEBHOOK_TOKEN']}"}
HOTLINE_AUTH = {"Authorization": f"Bearer {SECRETS['HOTLINE_WEBHOOK_TOKEN']}"}
RASA_API = {"token": SECRETS["RASA_API_TOKEN"]}

# a city portal on another origin that embeds the standard chat widget (tests/e2e/test_webchat_widget.py)
PORTAL_PORT = 18255 + _OFFSET
PORTAL_ORIGIN = f"http://127.0.0.1:{PORTAL_PORT}"


def url(name: str) -> str:
    return f"http://127.0.0.1:{PORTS[name]}"


HEALTH = {
    "knowledge": "/healthz",
    "bridge": "/healthz",
    "actions": "/health",
    "rasa": f"/status?token={SECRETS['RASA_API_TOKEN']}",
}


def _commands(tmp: Path) -> dict[str, list[str]]:
    app = str(ROOT / ".venv-app" / "bin")
    bot = str(ROOT / ".venv-bot" / "bin")
    return {
        "knowledge": [f"{app}/uvicorn", "knowledge.main:app", "--host", "127.0.0.1", "--port", str(PORTS["knowledge"])],
        "bridge": [f"{app}/uvicorn", "robot_bridge.main:app", "--host", "127.0.0.1", "--port", str(PORTS["bridge"])],
        # as the Procfile runs them: the action server wants the secret, Rasa's API the token
        "actions": [f"{bot}/python", "-m", "actions.server", "--port", str(PORTS["actions"])],
        "rasa": [
            f"{bot}/python", "-m", "channels.serve", "--enable-api", "--auth-token", SECRETS["RASA_API_TOKEN"],
            "--interface", "127.0.0.1", "--port", str(PORTS["rasa"]),
            "--model", str(ROOT / "models" / "current.tar.gz"), "--endpoints", "endpoints.yml",
            "--credentials", "credentials.yml",
        ],
    }


@dataclass
class Services:
    tmp: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            SANIC_HOST="127.0.0.1",
            KNOWLEDGE_URL=url("knowledge"),
            KNOWLEDGE_PUBLIC_URL=url("knowledge"),
            ROBOT_BRIDGE_URL=url("bridge"),
            ROBOT_BRIDGE_RASA_URL=f"{url('rasa')}/webhooks/screen/webhook",
            ACTION_ENDPOINT_URL=f"{url('actions')}/webhook",
            TRACKER_DIALECT="sqlite",
            TRACKER_URL=f"sqlite:///{self.tmp / 'tracker.db'}",
            ACTIONS_DB=str(self.tmp / "actions.db"),
            # every store of the run under tmp: tests/security greps them all for raw numbers
            KNOWLEDGE_NOTICES_DB_URL=f"sqlite:///{self.tmp / 'notices.db'}",
            RASA_TELEMETRY_ENABLED="false",
            RASA_CORS_ORIGINS=PORTAL_ORIGIN,
        )
        env.update(WECHAT_ENV)
        env.update(SECRETS)
        return env

    def start(self, *names: str) -> None:
        commands = _commands(self.tmp)
        for name in names:
            log = (self.tmp / f"{name}.log").open("ab")
            self.processes[name] = subprocess.Popen(
                commands[name], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_healthy(*names)

    def wait_healthy(self, *names: str, timeout: float | None = None) -> None:
        # E2E_START_TIMEOUT: minutes on a loaded machine (Rasa loads TensorFlow and the model)
        timeout = timeout or float(os.environ.get("E2E_START_TIMEOUT", "600"))
        deadline = time.monotonic() + timeout
        pending = set(names)
        while pending and time.monotonic() < deadline:
            for name in list(pending):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited: {self.log(name)[-2000:]}")
                try:
                    if httpx.get(url(name) + HEALTH[name], timeout=2).status_code == 200:
                        pending.discard(name)
                except httpx.HTTPError:
                    pass
            time.sleep(0.5)
        if pending:
            raise RuntimeError(f"not healthy after {timeout} s: {pending}")

    def stop(self, *names: str) -> None:
        for name in names:
            process = self.processes.pop(name, None)
            if process is None:
                continue
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")


def say(sender: str, message: str) -> list[dict[str, object]]:
    """One user turn through Rasa's REST webhook; returns the bot's messages."""
    body: dict[str, object] = {"sender": sender, "message": message}
    response = httpx.post(f"{url('rasa')}/webhooks/rest/webhook", json=body, timeout=30)
    response.raise_for_status()
    messages: list[dict[str, object]] = response.json()
    return messages


def reply_text(messages: list[dict[str, object]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages if m.get("text"))
