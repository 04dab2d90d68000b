"""Settings of the staff console, read from CONSOLE_* environment variables (and ACTIONS_DB)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from common.security import secret
from knowledge.settings import REPO_ROOT, get_settings


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONSOLE_")

    # staff, sessions, audit log, ticket workflow, question triage; default: KNOWLEDGE_DATA_DIR/console.db
    db: Path | None = None
    # the tickets, feedback and question log that the action server writes
    actions_db: Path = Field(
        default=REPO_ROOT / "var" / "actions.db", validation_alias=AliasChoices("CONSOLE_ACTIONS_DB", "ACTIONS_DB")
    )
    # the Rasa server's HTTP API (`rasa run --enable-api`): replies to citizens, conversation excerpts
    rasa_url: str = "http://127.0.0.1:5005"
    # Rasa runs with --auth-token RASA_API_TOKEN (docs/security.md)
    rasa_token: str = Field(
        default_factory=lambda: secret("RASA_API_TOKEN"),
        validation_alias=AliasChoices("CONSOLE_RASA_TOKEN", "RASA_API_TOKEN"),
    )
    # the promised response time of a 办不成事 ticket
    response_days: int = 3
    session_hours: int = 8
    # log-in failures allowed per account and per client address within `lockout_minutes`
    max_failures_account: int = 5
    max_failures_ip: int = 20
    lockout_minutes: int = 15

    @property
    def db_path(self) -> Path:
        return self.db or get_settings().data_dir / "console.db"


@lru_cache
def get_console_settings() -> ConsoleSettings:
    return ConsoleSettings()
