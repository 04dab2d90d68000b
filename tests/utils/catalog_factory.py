"""A small, valid catalog as plain dicts, written to YAML; tests break one part at a time."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml


def _matter(matter_id: str, name: str, windows: list[int]) -> dict[str, Any]:
    return {
        "id": matter_id,
        "code": f"11220100MB{sum(map(ord, matter_id)):08d}",
        "name": name,
        "aliases": [f"{name}别名一", f"{name}别名二", f"{name}别名三"],
        "department": "hz",
        "matter_type": "行政确认",
        "service_object": ["个人"],
        "summary": f"{name}的概述。",
        "legal_basis": ["《中华人民共和国居民身份证法》第十一条"],
        "conditions": ["符合条件的本市居民"],
        "situations": [
            {"key": "applicant", "question": "本人还是代办？", "options": ["本人办理", "委托代办"]}
        ],
        "materials": [
            {"name": "居民身份证", "necessity": "必要", "form": "原件", "copies": 1,
             "source": "申请人自备"},
            {"name": "授权委托书", "necessity": "必要", "form": "原件", "copies": 1,
             "source": "申请人自备", "applies_when": {"applicant": ["委托代办"]}},
        ],
        "process": ["申请", "受理", "办结"],
        "time_limit": {"legal_days": 20, "promised_days": 5},
        "fee": {"charged": False, "amount": "不收费", "basis": ""},
        "location": {"hall": "west-hall", "windows": windows},
        "hours": "周一至周五 8:30-16:30",
        "phone": "0431-82766133",
        "online": {"depth": "全程网办", "url": f"https://zwfw.example.gov.cn/{matter_id}"},
        "visits": "0",
        "cross_province": False,
        "postal_delivery": True,
        "self_service_terminal": False,
        "faqs": [{"q": "要多久？", "a": "5个工作日。"}, {"q": "收费吗？", "a": "不收费。"}],
    }


BASE: dict[str, Any] = {
    "matters/hz.yml": {
        "matters": [
            _matter("hz-first", "居民身份证首次申领", [1]),
            _matter("hz-renew", "居民身份证换领", [1, 2]),
        ]
    },
    "departments.yml": {
        "departments": [
            {"id": "hz", "name": "长春市公安局户政管理支队", "short_name": "户政",
             "phone": "0431-82766133", "hall": "west-hall"},
        ]
    },
    "policies.yml": {
        "policies": [
            {
                "id": "pol-test", "name": "测试补贴", "type": "奖", "mode": "免申即享",
                "issuer": "长春市人社局", "document": "长人社发〔2024〕1号", "target": "企业",
                "summary": "测试用政策。",
                "conditions": [{"field": "employees", "op": "gte", "value": 1, "text": "有员工"}],
                "benefit": "每人1000元", "time_limit": "随时", "validity": {"start": "2024-01-01"},
                "contact": "0431-88776223", "department": "hz", "related_matters": ["hz-first"],
            }
        ]
    },
    "themes.yml": {
        "themes": [
            {
                "id": "theme-test", "name": "身份证一件事", "aliases": ["办身份证", "身份证套餐"],
                "summary": "首次申领和换领一次办。", "matters": ["hz-first", "hz-renew"],
                "location": {"hall": "west-hall", "windows": [1]}, "promised_days": 5,
            }
        ]
    },
    "hall.yml": {
        "name": "测试大厅", "width_m": 20.0, "depth_m": 10.0,
        "places": [
            {"id": "west-hall", "name": "西侧大厅", "kind": "hall", "pos": {"x": 5, "y": 5},
             "waypoint": "wp-a", "windows": [1, 2]},
            {"id": "north-door", "name": "北门", "kind": "door", "pos": {"x": 10, "y": 10},
             "waypoint": "wp-b"},
        ],
        "windows": [
            {"number": 1, "hall": "west-hall", "department": "hz", "businesses": ["户政"],
             "pos": {"x": 1, "y": 2}, "waypoint": "wp-a"},
            {"number": 2, "hall": "west-hall", "department": "hz", "businesses": ["户政"],
             "pos": {"x": 1, "y": 4}, "waypoint": "wp-a"},
        ],
        "waypoints": [{"id": "wp-a", "x": 3, "y": 3}, {"id": "wp-b", "x": 10, "y": 9}],
        "edges": [["wp-a", "wp-b"]],
        "robots": [{"id": "robot-north", "name": "北门机器人", "door": "north-door",
                    "home": {"x": 10, "y": 9, "theta": -1.57}, "screen": "screen-north"}],
        "screens": [{"id": "screen-north", "name": "北门屏", "pos": {"x": 9, "y": 9},
                     "facing": -90.0, "waypoint": "wp-b"}],
    },
}


def catalog_data() -> dict[str, Any]:
    """A fresh deep copy of the valid catalog, keyed by file name."""
    return copy.deepcopy(BASE)


def write_catalog(directory: Path, data: dict[str, Any] | None = None) -> Path:
    """Write `data` (default: the valid catalog) as YAML files under `directory`."""
    for name, content in (data if data is not None else catalog_data()).items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
    return directory
