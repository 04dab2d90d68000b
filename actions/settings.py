"""Settings of the action server, read once per process from the environment (set by the Makefile)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    knowledge_url: str
    robot_bridge_url: str
    robot_bridge_token: str
    database: Path  # complaints and feedback (SQLite)
    public_url: str  # where citizens open notices and pages
    timeout_seconds: float = 2.0


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The one Settings object of this process (tests clear the cache to change it)."""
    return Settings(
        knowledge_url=os.environ.get("KNOWLEDGE_URL", "http://127.0.0.1:8000").rstrip("/"),
        robot_bridge_url=os.environ.get("ROBOT_BRIDGE_URL", "http://127.0.0.1:8100").rstrip("/"),
        robot_bridge_token=os.environ.get("ROBOT_BRIDGE_TOKEN", "dev-robot-token"),
        database=Path(os.environ.get("ACTIONS_DB", "var/actions.db")),
        public_url=os.environ.get("PUBLIC_URL", os.environ.get("KNOWLEDGE_URL", "http://127.0.0.1:8000")).rstrip("/"),
        # the actions' calls to the services; a test or evaluation on a loaded machine may allow more
        timeout_seconds=float(os.environ.get("ACTIONS_HTTP_TIMEOUT", "2.0")),
    )
