"""Checking an uploaded matter sheet against the loaded catalog, without publishing anything.

The sheet is read with the catalog's own import (catalog/spreadsheet.py), then the
matters are put into a scratch copy of the catalog and the whole catalog is validated, so the
report shows what `catalog.cli import` followed by `validate` would say."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from catalog.loader import Catalog, CatalogError, load_catalog
from catalog.spreadsheet import SheetError, read_rows, rows_to_matters
from knowledge.console.db import audit, now_iso

SHEET_SUFFIXES = (".xlsx", ".csv")
MAX_SHEET_BYTES = 10 * 1024 * 1024


@dataclass
class SheetReport:
    filename: str
    problems: list[str] = field(default_factory=list)
    matters: int = 0
    added: list[str] = field(default_factory=list)  # matter ids new to the loaded catalog
    removed: list[str] = field(default_factory=list)  # loaded matters the sheet no longer has

    @property
    def ok(self) -> bool:
        return not self.problems


def check_sheet(sheet: Path, filename: str, loaded: Catalog) -> SheetReport:
    report = SheetReport(filename)
    try:
        matters = rows_to_matters(read_rows(sheet))
    except SheetError as error:
        report.problems = [str(p) for p in error.problems]
        return report
    except (ValueError, OSError, KeyError) as error:  # not a readable sheet at all
        report.problems = [f"无法读取表格：{error}"]
        return report
    report.matters = len(matters)
    ids = {m.id for m in matters}
    report.added = sorted(ids - set(loaded.matters))
    report.removed = sorted(set(loaded.matters) - ids)
    with tempfile.TemporaryDirectory(prefix="catalog-check-") as scratch:
        copy = Path(scratch) / "catalog"
        shutil.copytree(loaded.source_dir, copy)
        shutil.rmtree(copy / "matters")
        (copy / "matters").mkdir()
        document = {"matters": [m.model_dump(mode="json") for m in matters]}
        (copy / "matters" / "imported.yml").write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8"
        )
        try:
            load_catalog(copy)
        except CatalogError as error:
            report.problems = [str(p).replace(str(copy) + "/", "") for p in error.problems]
    return report


def record(console: sqlite3.Connection, report: SheetReport, actor: str) -> None:
    with console:
        console.execute(
            "INSERT INTO catalog_checks (at, actor, filename, ok, report) VALUES (?, ?, ?, ?, ?)",
            (now_iso(), actor, report.filename, int(report.ok), json.dumps(asdict(report), ensure_ascii=False)),
        )
        audit(console, actor, "catalog_check_sheet", report.filename,
              "ok" if report.ok else f"{len(report.problems)} problems")


def last_report(console: sqlite3.Connection) -> tuple[str, str, SheetReport] | None:
    """(when, who, report) of the latest check."""
    row = console.execute("SELECT at, actor, report FROM catalog_checks ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return row["at"], row["actor"], SheetReport(**json.loads(row["report"]))
