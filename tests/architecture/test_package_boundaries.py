"""Package boundaries, read from the code's own imports (docs/architecture.md, "Package map").

catalog and common are libraries that import no other package of the project; the services and
the bot environment import them, never each other. The bot environment (Python 3.10, pydantic 1)
cannot import catalog, so actions and channels read catalog data over HTTP only.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]
BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"
PROJECT = {"catalog", "common", "knowledge", "robot_bridge", "actions", "channels", "bot"}
# the project packages each package must not import; the bot environment's packages (actions,
# channels, bot) may import one another
FORBIDDEN = {
    "catalog": PROJECT - {"catalog"},
    "common": PROJECT - {"common"},
    "knowledge": {"robot_bridge", "actions", "channels", "bot"},
    "robot_bridge": {"knowledge", "actions", "channels", "bot"},
    "actions": {"knowledge", "catalog", "robot_bridge"},
    "channels": {"knowledge", "catalog", "robot_bridge"},
    "bot": {"knowledge", "catalog", "robot_bridge"},
}
# Known crossings, each with its reason; a new crossing fails until it is removed or listed here.
# The staff console reveals a ticket's phone numbers with the action server's own decryption and
# audit (the tickets database belongs to the action server); moving that code out of actions/ is
# a follow-up, not a second copy.
ALLOWED = {("knowledge/console/tickets.py", "actions")}


def imported_packages(source: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import, wherever it stands (functions too)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def test_the_scan_finds_imports_in_functions_and_from_forms() -> None:
    source = "import os\nfrom knowledge.settings import x\ndef f():\n    import robot_bridge.main as m\n"
    assert imported_packages(source) == [(1, "os"), (2, "knowledge"), (4, "robot_bridge")]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_only_what_its_layer_allows(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no Python files"
    crossings = [
        f"{path.relative_to(ROOT)}:{line} imports {top}"
        for path in files
        for line, top in imported_packages(path.read_text(encoding="utf-8"))
        if top in FORBIDDEN[package] and (path.relative_to(ROOT).as_posix(), top) not in ALLOWED
    ]
    assert crossings == []


def test_the_hotline_analysis_lives_in_knowledge_only() -> None:
    assert not (ROOT / "hotline").exists()
    assert (ROOT / "knowledge" / "hotline" / "analysis.py").is_file()
    # an import of the old top-level package would still work wherever an older install maps it
    stale = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in sorted(FORBIDDEN)
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, top in imported_packages(path.read_text(encoding="utf-8"))
        if top == "hotline"
    ]
    assert stale == []


def _loaded_project_packages(python: Path | str, modules: str) -> list[str]:
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}.split(): importlib.import_module(name)\n"
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(PROJECT)!r}))))\n"
    )
    # run from the checkout root, as the Procfile does: the packages are found on the working directory
    result = subprocess.run([str(python), "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_catalog_and_common_load_without_any_service() -> None:
    loaded = _loaded_project_packages(
        sys.executable, "catalog.cli catalog.importer common.pii common.security common.offline_docs"
    )
    assert loaded == ["catalog", "common"]


def test_the_bot_environment_imports_common_and_every_action_and_channel_without_knowledge() -> None:
    if not BOT_PYTHON.exists():  # make test builds it first; a bare pytest run may not have
        if os.environ.get("CI") == "true":
            pytest.fail("the bot environment is required in CI (make setup builds it)")
        pytest.skip("the bot environment is not built (make setup builds it)")
    modules = [
        path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
        for package in ("actions", "channels")
        for path in sorted((ROOT / package).rglob("*.py"))
    ]
    loaded = _loaded_project_packages(BOT_PYTHON, " ".join(["common.pii", "common.security", *modules]))
    assert {"actions", "channels", "common"} <= set(loaded)
    assert not {"knowledge", "catalog", "robot_bridge"} & set(loaded)


def test_an_install_from_pyproject_carries_the_libraries_and_the_sample_catalog() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    packages = set(find_packages(where=ROOT, include=config["setuptools"]["packages"]["find"]["include"]))
    assert {"catalog", "common", "knowledge", "knowledge.hotline", "robot_bridge"} <= packages
    assert {"catalog", "common", "knowledge", "robot_bridge"} <= set(config["mypy"]["packages"])
    patterns = config["setuptools"]["package-data"]["catalog"]
    data = [p.relative_to(ROOT / "catalog").as_posix() for p in (ROOT / "catalog" / "data").rglob("*.yml")]
    assert data and all(any(fnmatch.fnmatch(path, pattern) for pattern in patterns) for path in data)
