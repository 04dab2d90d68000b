"""Matter sheets: export then import gives the same records; bad rows are named by number."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from catalog import cli
from catalog.import_report import read_report
from catalog.loader import load_catalog
from catalog.spreadsheet import HEADERS, SheetError, read_rows, rows_to_matters, write_sheet
from tests.utils.catalog_factory import write_catalog


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_of_the_sample_catalog(tmp_path: Path, suffix: str) -> None:
    matters = list(load_catalog().matters.values())
    sheet = tmp_path / f"matters{suffix}"
    write_sheet(matters, sheet)
    assert rows_to_matters(read_rows(sheet)) == matters


def test_cli_export_then_import_writes_loadable_yaml(tmp_path: Path) -> None:
    catalog_dir = write_catalog(tmp_path / "catalog")
    sheet = tmp_path / "out.xlsx"
    assert cli.main(["export", str(sheet), "--dir", str(catalog_dir)]) == 0
    imported = catalog_dir / "matters" / "imported.yml"
    (catalog_dir / "matters" / "hz.yml").unlink()
    assert cli.main(["import", str(sheet), "--out", str(imported)]) == 0
    assert set(load_catalog(catalog_dir).matters) == {"hz-first", "hz-renew"}


def _sample_rows(tmp_path: Path) -> list[list[str]]:
    catalog_dir = write_catalog(tmp_path / "catalog")
    sheet = tmp_path / "sheet.csv"
    write_sheet(list(load_catalog(catalog_dir).matters.values()), sheet)
    return read_rows(sheet)


def test_bad_rows_are_reported_with_row_numbers(tmp_path: Path) -> None:
    rows = _sample_rows(tmp_path)
    column = {h: i for i, h in enumerate(HEADERS)}
    rows[1][column["法定时限"]] = "二十"  # matter row 2: not a number
    rows[2][column["材料形式"]] = "影印件"  # material row 3: not a form
    rows[3][column["跨省通办"]] = "也许"  # second matter, row 4: not yes/no
    with pytest.raises(SheetError) as raised:
        rows_to_matters(rows)
    by_row = {(p.row, p.column) for p in raised.value.problems}
    assert (2, "法定时限") in by_row
    assert (3, "材料形式") in by_row
    assert (4, "跨省通办") in by_row


def test_missing_columns_are_reported(tmp_path: Path) -> None:
    rows = _sample_rows(tmp_path)
    rows[0] = [h for h in rows[0] if h != "材料来源"]
    with pytest.raises(SheetError, match="材料来源"):
        rows_to_matters(rows)


def test_cli_import_refuses_a_bad_sheet_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _sample_rows(tmp_path)
    rows[2][HEADERS.index("适用情形")] = "applicant委托代办"
    sheet = tmp_path / "bad.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    out = tmp_path / "imported.yml"
    assert cli.main(["import", str(sheet), "--out", str(out)]) == 1
    assert "row 3" in capsys.readouterr().err
    assert not out.exists()


def test_the_same_rows_from_csv_or_xlsx_give_the_same_catalog_hash(tmp_path: Path) -> None:
    hashes = []
    for suffix in (".csv", ".xlsx"):
        catalog_dir = write_catalog(tmp_path / suffix.strip(".") / "catalog")
        sheet = tmp_path / f"matters{suffix}"
        write_sheet(list(load_catalog(catalog_dir).matters.values()), sheet)
        assert cli.main(["import", str(sheet), "--out", str(catalog_dir / "matters" / "hz.yml")]) == 0
        assert (catalog_dir / "matters" / "hz.yml").read_text(encoding="utf-8").startswith(
            f"# imported from matters{suffix}")
        hashes.append(load_catalog(catalog_dir).content_hash)
    assert hashes[0] == hashes[1] == load_catalog(write_catalog(tmp_path / "original")).content_hash


def test_an_import_into_a_catalog_leaves_its_report_for_the_console(tmp_path: Path) -> None:
    catalog_dir = write_catalog(tmp_path / "catalog")
    sheet = tmp_path / "city.csv"
    assert cli.main(["export", str(sheet), "--dir", str(catalog_dir)]) == 0
    out = catalog_dir / "matters" / "hz.yml"
    assert cli.main(["import", str(sheet), "--out", str(out)]) == 0
    report = read_report(catalog_dir)
    assert report is not None and report.ok and report.matters == 2 and report.sheet == "city.csv"
    # a failed import is the last import too: the console lists its problems
    rows = read_rows(sheet)
    rows[1][HEADERS.index("法定时限")] = "二十"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert cli.main(["import", str(sheet), "--out", str(out)]) == 1
    failed = read_report(catalog_dir)
    assert failed is not None and not failed.ok
    assert any(p.startswith("sheet row 2, column 法定时限") for p in failed.problems), failed.problems
    # the catalog itself still loads: the report is no catalog file
    assert set(load_catalog(catalog_dir).matters) == {"hz-first", "hz-renew"}
