"""The catalog CLI checks the catalog the knowledge service serves unless told another."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog import cli
from catalog.loader import load_catalog
from tests.utils.catalog_factory import write_catalog


def test_validate_defaults_to_knowledge_catalog_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = write_catalog(tmp_path / "city")
    monkeypatch.setenv("KNOWLEDGE_CATALOG_DIR", str(directory))
    assert cli.main(["validate"]) == 0
    expected = load_catalog(directory)
    out = capsys.readouterr().out
    assert f"catalog ok: {len(expected.matters)} matters" in out
    assert f"(hash {expected.content_hash})" in out
    assert expected.content_hash != load_catalog().content_hash  # not the sample


def test_validate_without_the_variable_checks_the_sample(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KNOWLEDGE_CATALOG_DIR", raising=False)
    assert cli.main(["validate"]) == 0
    assert f"(hash {load_catalog().content_hash})" in capsys.readouterr().out
