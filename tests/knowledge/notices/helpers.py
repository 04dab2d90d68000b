"""Helpers for the notice tests: answers for a matter or theme, and external tools."""

from __future__ import annotations

import os
import shutil

import pytest

from catalog.loader import Catalog


def require_tool(name: str, debian_package: str) -> str:
    """The path of a command-line tool; skip without it, but fail in CI, which must install it."""
    path = shutil.which(name)
    if path is None:
        message = f"'{name}' not found: apt-get install -y {debian_package}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def answers_for(catalog: Catalog, matter_id: str, choose: int | str = 0) -> dict[str, str]:
    """Answers to every situation of a matter: option index `choose`, or that literal answer."""
    return {
        s.key: (choose if isinstance(choose, str) else s.options[choose % len(s.options)])
        for s in catalog.matters[matter_id].situations
    }


def theme_answers(catalog: Catalog, theme_id: str, choose: int | str = 0) -> dict[str, str]:
    """Qualified "<matter_id>.<key>" answers for every member matter's situations."""
    return {
        f"{matter_id}.{key}": value
        for matter_id in catalog.themes[theme_id].matters
        for key, value in answers_for(catalog, matter_id, choose).items()
    }
