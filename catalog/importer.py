"""One pass from a city's workbook to a verdict: the matter sheet, the optional 部门 and 窗口
sheets, checked against the catalog they go into, every problem in the sheet's own words."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from catalog import loader
from catalog.models import Department, HallMap, Matter
from catalog.spreadsheet import (
    DEPARTMENTS_SHEET,
    EXPECTED,
    SHORT_SEPARATORS,
    WINDOWS_SHEET,
    CellError,
    ImportContext,
    Resolver,
    RowProblem,
    SheetError,
    header_positions,
    parse_windows,
    row_cells,
    rows_to_matters,
    split_list,
)

# --- the departments and windows sheets -------------------------------------------------

DEPARTMENT_COLUMNS = ["部门ID", "部门名称", "简称", "咨询电话", "所在大厅"]
WINDOW_COLUMNS = ["窗口号", "所在大厅", "部门", "业务"]


def rows_to_departments(rows: list[list[str]], resolve: Resolver) -> tuple[list[Department], list[RowProblem]]:
    """Departments from the 部门 sheet: one per row."""
    if not rows:
        return [], []
    position, problems = header_positions(rows[0], DEPARTMENT_COLUMNS, set())
    problems = [RowProblem(p.row, p.column, p.message, DEPARTMENTS_SHEET) for p in problems]
    if problems:
        return [], problems
    fields = dict(zip(DEPARTMENT_COLUMNS, ["id", "name", "short_name", "phone", "hall"], strict=True))
    header_of = {v: k for k, v in fields.items()}
    departments = []
    for number, row in enumerate(rows[1:], start=2):
        cells = row_cells(row, position, DEPARTMENT_COLUMNS)
        if not any(cells.values()):
            continue
        data = {fields[h]: v for h, v in cells.items()}
        try:
            data["hall"] = resolve.hall(data["hall"]) if data["hall"] else ""
        except CellError as error:
            problems.append(RowProblem(number, "所在大厅", str(error), DEPARTMENTS_SHEET))
            continue
        try:
            departments.append(Department.model_validate(data))
        except ValidationError as error:
            for detail in error.errors():
                header = header_of.get(str(detail["loc"][0]), "部门ID") if detail["loc"] else "部门ID"
                value = detail.get("input")
                what = "is empty" if value in ("", None) else f"'{value}' is not valid"
                problems.append(RowProblem(number, header, f"{what}; {DEPARTMENT_EXPECTED[header]}",
                                           DEPARTMENTS_SHEET))
    seen: dict[str, int] = {}
    for number, department in enumerate(departments, start=2):
        if department.id in seen:
            problems.append(RowProblem(number, "部门ID", f"'{department.id}' is already used in row "
                                       f"{seen[department.id]}; give each department its own ID", DEPARTMENTS_SHEET))
        seen.setdefault(department.id, number)
    return departments, problems


DEPARTMENT_EXPECTED = {
    "部门ID": "write lower-case letters, digits and '-', e.g. gaj",
    "部门名称": "write the department's full name",
    "简称": "write the short business name, e.g. 出入境",
    "咨询电话": EXPECTED["咨询电话"],
    "所在大厅": EXPECTED["办理大厅"],
}


@dataclass(frozen=True)
class WindowAssignment:
    row: int
    number: int
    hall: str
    department: str
    businesses: list[str]


def rows_to_windows(rows: list[list[str]], resolve: Resolver) -> tuple[list[WindowAssignment], list[RowProblem]]:
    """Window assignments from the 窗口 sheet: window number, hall, department, businesses."""
    if not rows:
        return [], []
    position, problems = header_positions(rows[0], WINDOW_COLUMNS, {"业务"})
    problems = [RowProblem(p.row, p.column, p.message, WINDOWS_SHEET) for p in problems]
    if problems:
        return [], problems
    assignments = []
    for number, row in enumerate(rows[1:], start=2):
        cells = row_cells(row, position, WINDOW_COLUMNS)
        if not any(cells.values()):
            continue
        try:
            windows = parse_windows(cells["窗口号"])
        except CellError as error:
            problems.append(RowProblem(number, "窗口号", str(error), WINDOWS_SHEET))
            continue
        try:
            hall = resolve.hall(cells["所在大厅"])
        except CellError as error:
            problems.append(RowProblem(number, "所在大厅", str(error), WINDOWS_SHEET))
            continue
        try:
            department = resolve.department(cells["部门"])
        except CellError as error:
            problems.append(RowProblem(number, "部门", str(error), WINDOWS_SHEET))
            continue
        businesses = split_list(cells["业务"], SHORT_SEPARATORS) or [resolve.departments[department].short_name]
        for window in windows:
            if not 1 <= window <= 99:
                problems.append(RowProblem(number, "窗口号", f"{window} is out of range; write numbers 1-99",
                                           WINDOWS_SHEET))
                continue
            assignments.append(WindowAssignment(number, window, hall, department, businesses))
    return assignments, problems


def assign_windows(hall: HallMap, assignments: list[WindowAssignment]) -> HallMap:
    """The hall map with the sheet's windows: existing ones reassigned, new ones placed at
    their hall's centre (a city without coordinates still gets a route to the right hall)."""
    data = hall.model_dump(mode="json")
    by_number = {w["number"]: w for w in data["windows"]}
    places = {p["id"]: p for p in data["places"]}
    for assignment in assignments:
        hall_place = places[assignment.hall]
        window = by_number.get(assignment.number)
        if window is None or window["hall"] != assignment.hall:
            window = {"number": assignment.number, "pos": hall_place["pos"], "waypoint": hall_place["waypoint"]}
            by_number[assignment.number] = window
        window.update(hall=assignment.hall, department=assignment.department, businesses=assignment.businesses)
        for place in data["places"]:
            if place["kind"] == "hall":
                numbers = [n for n in place["windows"] if n != assignment.number]
                if place["id"] == assignment.hall:
                    numbers.append(assignment.number)
                place["windows"] = sorted(numbers)
    data["windows"] = [by_number[n] for n in sorted(by_number)]
    return HallMap.model_validate(data)


# --- one pass: the sheet checked against the catalog it goes into -----------------------


@dataclass
class ImportPlan:
    """What an import writes: the matters, and departments / hall map when the sheet has them."""

    matters: list[Matter]
    departments: list[Department] | None
    hall: HallMap | None


def import_context(catalog_dir: Path, out: Path) -> tuple[ImportContext | None, list[str]]:
    """The target catalog's departments, hall map and other matters (all but `out`)."""
    found: list[loader.Problem] = []
    departments = loader.validate_records(
        Department, loader.read_records_yaml(catalog_dir / "departments.yml", "departments", found),
        "departments.yml", found,
    )
    hall: HallMap | None = None
    try:
        hall = HallMap.model_validate(loader.read_yaml_text((catalog_dir / "hall.yml").read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        found.append(loader.Problem("hall.yml", "(file)", "(file)", f"cannot read the hall map: {error}"))
    others: list[tuple[str, str, str, list[str], str]] = []
    for path in sorted((catalog_dir / "matters").glob("*.yml")):
        if path.resolve() == out.resolve():
            continue
        name = f"matters/{path.name}"
        for matter in loader.validate_records(Matter, loader.read_records_yaml(path, "matters", found), name, found):
            others.append((matter.id, matter.code, matter.name, matter.aliases, name))
    if found or hall is None:
        return None, [f"{catalog_dir}/{p}" for p in found]
    return ImportContext({d.id: d for d in departments}, hall, others), []


def plan_import(
    rows: list[list[str]],
    catalog_dir: Path,
    out: Path,
    department_rows: list[list[str]] | None = None,
    window_rows: list[list[str]] | None = None,
) -> ImportPlan:
    """Every check `validate` makes, on the sheet and the catalog it goes into, in one run.

    Raises `SheetError` naming every problem by sheet row and column.
    """
    context, broken = import_context(catalog_dir, out)
    if context is None:
        raise SheetError([RowProblem(0, "", f"the target catalog is broken: {p}") for p in broken])
    problems: list[RowProblem] = []
    departments: list[Department] | None = None
    if department_rows:
        departments, found = rows_to_departments(department_rows, Resolver({}, context.hall))
        problems += found
        context.departments = {**context.departments, **{d.id: d for d in departments}}
        departments = list(context.departments.values())
    hall: HallMap | None = None
    if window_rows:
        assignments, found = rows_to_windows(window_rows, Resolver(context.departments, context.hall))
        problems += found
        hall = context.hall = assign_windows(context.hall, assignments)
    matters: list[Matter] = []
    try:
        matters = rows_to_matters(rows, context)
    except SheetError as error:
        problems += error.problems
    if not problems:
        problems += _whole_catalog_problems(catalog_dir, out, ImportPlan(matters, departments, hall))
    if problems:
        raise SheetError(problems)
    return ImportPlan(matters, departments, hall)


def _whole_catalog_problems(catalog_dir: Path, out: Path, plan: ImportPlan) -> list[RowProblem]:
    """Load the catalog as it would be after the import, in a scratch copy, as `validate` does:
    a theme or policy that names a matter the sheet no longer has shows up here."""
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "catalog"
        shutil.copytree(catalog_dir, target)
        try:
            scratch_out = target / out.resolve().relative_to(catalog_dir.resolve())
        except ValueError:  # written outside the catalog: check it as one of its matter files
            scratch_out = target / "matters" / out.name
        write_import(plan, target, scratch_out, "")
        try:
            loader.load_catalog(target)
        except loader.CatalogError as error:
            return [RowProblem(0, "", f"after the import, {p}") for p in error.problems]
    return []


def write_import(plan: ImportPlan, catalog_dir: Path, out: Path, source: str) -> None:
    """Write the matters to `out`, and departments.yml / hall.yml when the sheet described them."""
    def dump(path: Path, document: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            if source:
                handle.write(f"# imported from {source}\n")
            dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
            yaml.dump(document, handle, Dumper=dumper, allow_unicode=True, sort_keys=False, width=200)

    dump(out, {"matters": [m.model_dump(mode="json") for m in plan.matters]})
    if plan.departments is not None:
        dump(catalog_dir / "departments.yml", {"departments": [d.model_dump(mode="json") for d in plan.departments]})
    if plan.hall is not None:
        dump(catalog_dir / "hall.yml", plan.hall.model_dump(mode="json"))
