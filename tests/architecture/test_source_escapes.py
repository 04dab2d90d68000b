"""Every project source compiles without warnings.

Why: an invalid escape such as "\\s" in a plain (non-raw) string still works, with a warning
nobody sees in a service log, and becomes a SyntaxError in a later Python (acts.py held two, in
regex word lists).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("catalog", "common", "knowledge", "robot_bridge", "actions", "channels", "bot", "bench", "tools")
SOURCES = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def test_the_sources_are_found() -> None:
    assert any(p.name == "acts.py" for p in SOURCES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_source_compiles_without_warnings(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
