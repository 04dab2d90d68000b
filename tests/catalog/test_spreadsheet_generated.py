"""The generated city workbook (tools/generate_city_sheet.py, smaller) imports and validates in one pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog import cli
from catalog.loader import load_catalog
from tools.generate_city_sheet import main as generate


def test_a_generated_city_workbook_imports_and_validates_in_one_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook, catalog_dir = tmp_path / "city.xlsx", tmp_path / "catalog"
    assert generate([str(workbook), "--matters", "120", "--catalog-dir", str(catalog_dir)]) == 0
    out = catalog_dir / "matters" / "city.yml"
    assert cli.main(["import", str(workbook), "--out", str(out)]) == 0, capsys.readouterr().err
    assert cli.main(["validate", "--dir", str(catalog_dir)]) == 0
    catalog = load_catalog(catalog_dir)
    matters = list(catalog.matters.values())
    assert (len(matters), len(catalog.departments), len(catalog.hall.windows)) == (120, 20, 88)
    # every variant came through as its normal form
    assert all(m.code == m.code.upper() and m.code.isascii() for m in matters)
    assert sum(not m.aliases for m in matters) == 96  # four in five rows had an empty 别名
    assert {len(m.faqs) for m in matters} == {0, 1, 2}
    assert any("转" in m.phone for m in matters)
    assert {tuple(o.value for o in m.service_object) for m in matters} == {("个人",), ("法人",), ("个人", "法人")}
    assert {len(m.location.windows) for m in matters} == {1, 2}
    assert {w.department for w in catalog.hall.windows if w.number > 48} == set(catalog.departments)
    # material rows under a merged (empty) 事项编码 stayed with their own matter
    assert sum(len(m.materials) for m in matters) == sum(
        2 + n % 3 + (n % 4 == 0 and 2 + n % 3 < 8) for n in range(1, 121))
