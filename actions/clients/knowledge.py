"""The one client of the knowledge service. Every call times out after 2 seconds; a failure
raises ServiceUnavailable, which the actions turn into a polite answer."""

from __future__ import annotations

from typing import Any

from actions.clients.http import NotFound, ServiceUnavailable, request_json
from actions.settings import get_settings
from common.pii import mask_pii

__all__ = ["KnowledgeClient", "NotFound", "ServiceUnavailable"]


class KnowledgeClient:
    def __init__(self, base_url: str | None = None, timeout: float | None = None) -> None:
        settings = get_settings()
        self.base_url = (base_url or settings.knowledge_url).rstrip("/")
        self.timeout = timeout or settings.timeout_seconds

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        return await request_json(method, f"{self.base_url}{path}", self.timeout, **kwargs)

    async def search(self, query: str, kind: str | None = None, k: int = 3) -> dict[str, Any]:
        # masked before it leaves: a GET's query string lands in access logs (docs/security.md)
        params: dict[str, Any] = {"q": mask_pii(query[:500]), "k": k}
        if kind:
            params["kind"] = kind
        result: dict[str, Any] = await self._request("GET", "/v1/search", params=params)
        return result

    async def record(self, kind: str, record_id: str) -> dict[str, Any]:
        plural = {"matter": "matters", "policy": "policies", "place": "places", "theme": "themes"}[kind]
        result: dict[str, Any] = await self._request("GET", f"/v1/{plural}/{record_id}")
        return result

    async def create_notice(self, matter_id: str, answers: dict[str, str], channel: str) -> dict[str, Any]:
        body = {"matter_id": matter_id, "answers": answers, "channel": channel if channel.isascii() else "app"}
        result: dict[str, Any] = await self._request("POST", "/v1/notices", json=body)
        return result

    async def match_policies(self, profile: dict[str, Any]) -> list[dict[str, Any]]:
        result = await self._request("POST", "/v1/policies/match", json=profile)
        matches: list[dict[str, Any]] = result["matches"]
        return matches
