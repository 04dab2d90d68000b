"""Catalog command line: validate the YAML catalog, import and export matter sheets.

    python -m knowledge.catalog.cli validate [--dir DIR]
    python -m knowledge.catalog.cli import SHEET.xlsx|SHEET.csv --out matters/imported.yml
    python -m knowledge.catalog.cli export SHEET.xlsx|SHEET.csv [--dir DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from knowledge.catalog.loader import CatalogError, load_catalog
from knowledge.catalog.spreadsheet import SheetError, read_rows, rows_to_matters, write_sheet
from knowledge.settings import get_settings


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
    try:
        matters = rows_to_matters(read_rows(args.sheet))
    except SheetError as error:
        print(f"{args.sheet}: {error}", file=sys.stderr)
        return 1
    document = {"matters": [m.model_dump(mode="json") for m in matters]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        handle.write(f"# imported from {args.sheet.name}\n")
        yaml.safe_dump(document, handle, allow_unicode=True, sort_keys=False, width=200)
    print(f"imported {len(matters)} matters into {args.out}")
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
    parser = argparse.ArgumentParser(prog="knowledge.catalog.cli", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="validate the catalog and its cross-references")
    validate.add_argument("--dir", type=Path, default=get_settings().catalog_dir)
    validate.set_defaults(run=_validate)

    importer = commands.add_parser("import", help="import matters from an .xlsx or .csv sheet")
    importer.add_argument("sheet", type=Path)
    importer.add_argument("--out", type=Path, required=True, help="YAML file to write")
    importer.set_defaults(run=_import)

    exporter = commands.add_parser("export", help="export the catalog's matters to a sheet")
    exporter.add_argument("sheet", type=Path)
    exporter.add_argument("--dir", type=Path, default=get_settings().catalog_dir)
    exporter.set_defaults(run=_export)

    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
