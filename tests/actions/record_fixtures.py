"""Record the knowledge service's answers that the action tests replay (app env):

    .venv-app/bin/python -m tests.actions.record_fixtures

tests/knowledge/test_action_fixtures.py fails when the recording no longer matches the
service, so the bot-side tests never run on stale answers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).parent / "fixtures" / "knowledge.json"
RECORDS = [
    "/v1/matters/cg-license-renewal",
    "/v1/matters/qy-individual-business-registration",
    "/v1/places/sb-windows",
    "/v1/policies/pol-one-time-hiring-subsidy",
    "/v1/themes/theme-newborn",
    "/v1/matters/hz-birth-registration",
    "/v1/matters/yb-resident-insurance-registration",
    "/v1/matters/sb-social-security-card",
    "/v1/matters/crj-passport-issue",
    "/v1/matters/crj-passport-reissue",
    "/v1/matters/crj-passport-renewal",
    "/v1/places/crj-windows",
]
SEARCHES: list[tuple[str, str | None]] = [
    ("驾照快到期了怎么换", None),
    ("那要多少钱", None),
    ("公积金", None),
    ("社保在哪", "place"),
    ("怎么炒股", None),
    ("大厅空调坏了热死了，好几天了也没人修", None),
    ("预约的九点，来了说预约作废了，让重新取号", None),
    ("我都来第四回了，每回都让我回去补材料，每回说的还不一样", None),
    ("那小姑娘把我材料直接扔回来了，一句话都没说", None),
    ("护照在哪个窗口办", None),
    ("招应届生补贴", "policy"),
]
PROFILE = {"entity_type": "企业", "size": "小型", "employees": 30, "registration_years": 2, "graduates_hired": 2}


def record(client: Any) -> dict[str, Any]:
    """The responses of a running service (a TestClient or an httpx.Client)."""
    out: dict[str, Any] = {path: client.get(path).json() for path in RECORDS}
    for q, kind in SEARCHES:
        params = {"q": q, "k": 3, **({"kind": kind} if kind else {})}
        out[f"search:{q}:{kind}"] = client.get("/v1/search", params=params).json()
    out["match:企业"] = client.post("/v1/policies/match", json=PROFILE).json()
    return out


def main() -> None:
    from fastapi.testclient import TestClient

    from knowledge.main import app

    with TestClient(app) as client:
        FIXTURE.write_text(json.dumps(record(client), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
