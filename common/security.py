"""Shared secrets of the services: their development defaults, the start-up refusal of those
defaults off loopback, and constant-time comparison. Standard library only, so both
environments (.venv-app, .venv-bot) import it. docs/security.md describes every secret."""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Mapping

# Every secret and its development default. `make run` on 127.0.0.1 works with these; a service
# whose HOST is not loopback refuses to start while any of them is still in use.
DEV_SECRETS = {
    "RASA_API_TOKEN": "dev-rasa-api-token",
    "ACTIONS_SECRET": "dev-actions-secret",
    "ROBOT_WEBHOOK_TOKEN": "dev-robot-webhook-token",
    "HOTLINE_WEBHOOK_TOKEN": "dev-hotline-webhook-token",
    "WECHAT_TOKEN": "dev-wechat-token",
    "ROBOT_BRIDGE_TOKEN": "dev-robot-token",
    "TICKET_ENCRYPTION_KEY": "dev-ticket-encryption-key",
}


class InsecureConfiguration(SystemExit):
    """Raised at start-up: exits the process with the reason as its message."""


def secret(name: str, env: Mapping[str, str] | None = None) -> str:
    """The value of secret `name` from the environment, or its development default."""
    env = os.environ if env is None else env
    return env.get(name) or DEV_SECRETS[name]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def default_secrets(env: Mapping[str, str] | None = None) -> list[str]:
    """Names of the secrets still at their development default (or unset)."""
    return [name for name, default in DEV_SECRETS.items() if secret(name, env) == default]


def refuse_default_secrets(service: str, env: Mapping[str, str] | None = None, host: str | None = None) -> None:
    """Exit when this service serves more than loopback (`host`, else HOST) with any default secret."""
    env = os.environ if env is None else env
    host = host if host is not None else env.get("HOST", "127.0.0.1")
    defaults = default_secrets(env)
    if defaults and not is_loopback(host):
        raise InsecureConfiguration(
            f"{service}: refusing to start on HOST={host} with development default secrets: "
            f"{', '.join(defaults)}. Set each to a long random value (docs/security.md), "
            "or serve only 127.0.0.1."
        )


def matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented credential with the expected one."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def bearer_matches(authorization: str | None, expected: str) -> bool:
    """Whether an `Authorization: Bearer …` header carries the expected token."""
    scheme, _, token = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and matches(token.strip(), expected)
