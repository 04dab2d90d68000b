"""Settings of the robot bridge, read from ROBOT_BRIDGE_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.catalog.loader import DEFAULT_CATALOG_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROBOT_BRIDGE_")

    # the hall map is part of the catalog; the bridge reads the same directory
    catalog_dir: Path = DEFAULT_CATALOG_DIR
    host: str = "127.0.0.1"
    port: int = 8100


@lru_cache
def get_settings() -> Settings:
    return Settings()
