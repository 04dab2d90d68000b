"""Catalog command line: validate the YAML catalog, import and export matter sheets.

    python -m catalog.cli validate [--dir DIR]
    python -m catalog.cli import SHEET.xlsx|SHEET.csv --out DIR/matters/imported.yml
        [--dir DIR] [--departments SHEET] [--windows SHEET]
    python -m catalog.cli export SHEET.xlsx|SHEET.csv [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from catalog.import_report import ImportReport, write_report
from catalog.importer import plan_import, write_import
from catalog.loader import DEFAULT_CATALOG_DIR, CatalogError, load_catalog
from catalog.spreadsheet import (
    DEPARTMENTS_SHEET,
    WINDOWS_SHEET,
    SheetError,
    read_rows,
    read_workbook,
    write_sheet,
)


def served_catalog_dir() -> Path:
    """The catalog the knowledge service serves: KNOWLEDGE_CATALOG_DIR, else the sample.

    Read here rather than from the service's settings, so the catalog needs no service code."""
    return Path(os.environ.get("KNOWLEDGE_CATALOG_DIR") or DEFAULT_CATALOG_DIR)


def _validate(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(args.dir)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 1
    print(
        f"catalog ok: {len(catalog.matters)} matters, {len(catalog.policies)} policies, "
        f"{len(catalog.themes)} themes, {len(catalog.departments)} departments, "
        f"{len(catalog.hall.places)} places, {len(catalog.hall.windows)} windows "
        f"(hash {catalog.content_hash})"
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    # the catalog the sheet goes into: DIR of DIR/matters/FILE.yml unless named
    catalog_dir: Path = args.dir or (
        args.out.parent.parent if args.out.parent.name == "matters" else served_catalog_dir()
    )
    # the staff console shows the last import into a catalog; an import written elsewhere is not one
    into_catalog = args.out.resolve().is_relative_to(catalog_dir.resolve())
    sheets = read_workbook(args.sheet)
    departments = read_rows(args.departments) if args.departments else sheets.get(DEPARTMENTS_SHEET)
    windows = read_rows(args.windows) if args.windows else sheets.get(WINDOWS_SHEET)
    try:
        plan = plan_import(sheets[""], catalog_dir, args.out, departments, windows)
    except SheetError as error:
        print(f"{args.sheet}: {error}", file=sys.stderr)
        if into_catalog:
            problems = [str(problem) for problem in error.problems]
            write_report(catalog_dir, ImportReport(args.sheet.name, str(args.out), ok=False, problems=problems))
        return 1
    write_import(plan, catalog_dir, args.out, args.sheet.name)
    if into_catalog:
        write_report(catalog_dir, ImportReport(args.sheet.name, str(args.out), ok=True, matters=len(plan.matters)))
    extra = "".join([
        f", {len(plan.departments)} departments" if plan.departments is not None else "",
        f", {len(plan.hall.windows)} windows on the map" if plan.hall is not None else "",
    ])
    print(f"imported {len(plan.matters)} matters into {args.out}{extra}; checked against {catalog_dir}")
    return 0


def _export(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(args.dir)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 1
    write_sheet(list(catalog.matters.values()), args.sheet)
    print(f"exported {len(catalog.matters)} matters to {args.sheet}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="catalog.cli", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="validate the catalog and its cross-references")
    validate.add_argument("--dir", type=Path, default=served_catalog_dir())
    validate.set_defaults(run=_validate)

    importer = commands.add_parser("import", help="import matters from an .xlsx or .csv sheet")
    importer.add_argument("sheet", type=Path)
    importer.add_argument("--out", type=Path, required=True, help="YAML file to write (DIR/matters/NAME.yml)")
    importer.add_argument("--dir", type=Path, default=None, help="the catalog checked against (default: DIR of --out)")
    importer.add_argument("--departments", type=Path, help=f"departments sheet (default: sheet {DEPARTMENTS_SHEET})")
    importer.add_argument("--windows", type=Path, help=f"window-assignment sheet (default: the {WINDOWS_SHEET} sheet)")
    importer.set_defaults(run=_import)

    exporter = commands.add_parser("export", help="export the catalog's matters to a sheet")
    exporter.add_argument("sheet", type=Path)
    exporter.add_argument("--dir", type=Path, default=served_catalog_dir())
    exporter.set_defaults(run=_export)

    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
